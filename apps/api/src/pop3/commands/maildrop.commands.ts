import { dotStuffChunks, errLine, isDotStuffFree, multiLine, multiLineEnd, okLine, topOf } from '@correio/pop3-protocol';
import type { RawLease } from '../maildrop-prefetch.js';
import type { MaildropMessage, Pop3Session } from '../pop3-session.js';
import type { CommandTable } from './command-table.js';

const TRANSACTION: ['transaction'] = ['transaction'];

/** Message n of the snapshot, unless out of range or marked deleted (RFC 1939 §5: then -ERR). */
function messageAt(s: Pop3Session, n: number): MaildropMessage | undefined {
  if (s.state.kind !== 'transaction') return undefined;
  const m = s.state.maildrop.messages[n - 1];
  return m && !m.isDeleted ? m : undefined;
}

function live(s: Pop3Session): { n: number; m: MaildropMessage }[] {
  if (s.state.kind !== 'transaction') return [];
  return s.state.maildrop.messages.map((m, i) => ({ n: i + 1, m })).filter(({ m }) => !m.isDeleted);
}

function uidlOf(s: Pop3Session, m: MaildropMessage): string {
  // RFC 1939 §7: 1–70 characters 0x21–0x7E, the same for the message in every session. UIDVALIDITY
  // and UID together never repeat: UIDs are never reused, and a recreated INBOX has a new UIDVALIDITY.
  return `${s.state.kind === 'transaction' ? s.state.maildrop.uidValidity : 0}.${m.uid}`;
}

/**
 * The message's stored bytes, exactly (TOP never marks anything; RETR only with markReadOnRetr):
 * from what the prefetcher read ahead, else one getRaw (which answers -ERR for a message gone).
 * `consume`: RETR, after which the copy read ahead is not needed any more. The lease is released
 * when the socket has taken the bytes (writeChunks' callback): until then they are not reused.
 */
function rawOf(s: Pop3Session, n: number, m: MaildropMessage, consume: boolean): RawLease | Promise<RawLease> {
  if (s.state.kind !== 'transaction') throw new Error('not in TRANSACTION');
  const { accountId, prefetch } = s.state.maildrop;
  // Held in the read-ahead: answered in this turn of the event loop, without a promise.
  return prefetch.takeHeld(n - 1, consume) ?? prefetch.get(n - 1, consume, async () => (await s.deps.store.getRaw(accountId, m.id)).raw);
}

/** RETR's reply: "+OK", the dot-stuffed bytes, "."; then \Seen if configured (issue 5: not by default). */
function sendRetr(s: Pop3Session, m: MaildropMessage, lease: RawLease): Promise<void> | undefined {
  const { raw, release } = lease;
  const head = okLine(`${raw.length} octets`);
  // Most messages have no line starting with ".": from the read-ahead, the whole response is then
  // one Buffer framed in place (one write); otherwise views of the bytes with the dots between.
  const framed = lease.frame && isDotStuffFree(raw) ? lease.frame(head, multiLineEnd(raw)) : undefined;
  s.writeChunks(framed ? [framed] : [Buffer.from(head), ...dotStuffChunks(raw)], release);
  if (!s.deps.markReadOnRetr || s.state.kind !== 'transaction') return undefined;
  // A failure here must not fail RETR.
  return s.deps.store.updateFlags(s.state.maildrop.accountId, m.id, { seen: true }).then(
    () => undefined,
    () => undefined,
  );
}

/** STAT, LIST, RETR, TOP, DELE, RSET, UIDL: the TRANSACTION state (RFC 1939 §5, §7). */
export const MAILDROP_COMMANDS: CommandTable<'STAT' | 'LIST' | 'RETR' | 'TOP' | 'DELE' | 'RSET' | 'UIDL'> = {
  STAT: {
    allowedIn: TRANSACTION,
    handle(s) {
      const msgs = live(s);
      s.write(okLine(`${msgs.length} ${msgs.reduce((n, { m }) => n + m.size, 0)}`));
    },
  },
  LIST: {
    allowedIn: TRANSACTION,
    handle(s, cmd) {
      if (cmd.msg === undefined) {
        const msgs = live(s);
        const octets = msgs.reduce((n, { m }) => n + m.size, 0);
        return s.write(multiLine(`${msgs.length} messages (${octets} octets)`, msgs.map(({ n, m }) => `${n} ${m.size}`)));
      }
      const m = messageAt(s, cmd.msg);
      s.write(m ? okLine(`${cmd.msg} ${m.size}`) : errLine('No such message'));
    },
  },
  RETR: {
    allowedIn: TRANSACTION,
    handle(s, cmd) {
      const m = messageAt(s, cmd.msg);
      if (!m) return s.write(errLine('No such message'));
      const lease = rawOf(s, cmd.msg, m, true);
      return lease instanceof Promise ? lease.then((l) => sendRetr(s, m, l)) : sendRetr(s, m, lease);
    },
  },
  TOP: {
    allowedIn: TRANSACTION,
    async handle(s, cmd) {
      const m = messageAt(s, cmd.msg);
      if (!m) return s.write(errLine('No such message'));
      const { raw, release } = await rawOf(s, cmd.msg, m, false);
      s.writeChunks([Buffer.from(okLine()), ...dotStuffChunks(topOf(raw, cmd.lines))], release);
    },
  },
  DELE: {
    allowedIn: TRANSACTION,
    handle(s, cmd) {
      const m = messageAt(s, cmd.msg);
      if (!m) return s.write(errLine(s.state.kind === 'transaction' && s.state.maildrop.messages[cmd.msg - 1] ? `Message ${cmd.msg} already deleted` : 'No such message'));
      // Only marked: removal happens in UPDATE (RFC 1939 §6).
      m.isDeleted = true;
      s.write(okLine(`Message ${cmd.msg} deleted`));
    },
  },
  RSET: {
    allowedIn: TRANSACTION,
    handle(s) {
      if (s.state.kind !== 'transaction') return;
      for (const m of s.state.maildrop.messages) m.isDeleted = false;
      const msgs = live(s);
      s.write(okLine(`Maildrop has ${msgs.length} messages (${msgs.reduce((n, { m }) => n + m.size, 0)} octets)`));
    },
  },
  UIDL: {
    allowedIn: TRANSACTION,
    handle(s, cmd) {
      if (cmd.msg === undefined) return s.write(multiLine('Unique-ID listing follows', live(s).map(({ n, m }) => `${n} ${uidlOf(s, m)}`)));
      const m = messageAt(s, cmd.msg);
      s.write(m ? okLine(`${cmd.msg} ${uidlOf(s, m)}`) : errLine('No such message'));
    },
  },
};
