import { errLine, multiLine, okLine } from '@correio/pop3-protocol';
import type { CommandTable } from './command-table.js';

/** CAPA, NOOP and QUIT. */
export const SESSION_COMMANDS: CommandTable<'CAPA' | 'NOOP' | 'QUIT'> = {
  // RFC 2449 §5: valid in AUTHORIZATION and TRANSACTION; lists what works in the current state.
  CAPA: {
    allowedIn: ['authorization', 'transaction'],
    handle(s) {
      const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
      if (s.state.kind === 'authorization') {
        // RFC 2595 §4: no STLS once TLS is active; no password mechanisms where they are refused.
        if (s.canStartTls) caps.push('STLS');
        if (s.isPlainAuthAllowed) caps.push('USER', 'SASL PLAIN');
      }
      caps.push('IMPLEMENTATION Correio');
      s.write(multiLine('Capability list follows', caps));
    },
  },
  NOOP: { allowedIn: ['transaction'], handle: (s) => s.write(okLine()) },
  // RFC 1939 §4 (AUTHORIZATION: close, nothing else) and §6 (TRANSACTION: enter UPDATE, remove the
  // messages marked deleted, all in one transaction, then close; on failure -ERR and nothing removed).
  QUIT: {
    allowedIn: ['authorization', 'transaction'],
    async handle(s) {
      if (s.state.kind !== 'transaction') {
        s.write(okLine('Correio POP3 server signing off'));
        return s.end();
      }
      const { maildrop } = s.state;
      s.leaveTransaction({ kind: 'update' });
      const marked = maildrop.messages.filter((m) => m.isDeleted).map((m) => m.id);
      try {
        if (marked.length > 0) await s.deps.store.expungeMany(maildrop.accountId, marked);
        s.write(okLine(`Correio POP3 server signing off (${marked.length} messages deleted)`));
      } catch (err) {
        s.deps.logger.warn(`UPDATE failed for account ${maildrop.accountId}: ${String(err)}`);
        s.write(errLine('Some deleted messages not removed, try again later', 'SYS/TEMP'));
      } finally {
        s.releaseLock();
        s.end();
      }
    },
  },
};
