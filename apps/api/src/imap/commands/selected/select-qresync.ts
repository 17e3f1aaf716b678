import type { ImapCommand, SequenceSet } from '@correio/imap-protocol';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { formatSet } from './uid-set.js';

type QresyncParams = NonNullable<Extract<ImapCommand, { name: 'SELECT' | 'EXAMINE' }>['qresync']>;

/** True when uid is in a UID set given by the client (no '*' meaning needed beyond "the largest"). */
export function uidSetHas(set: SequenceSet | undefined, uid: number, lastUid: number): boolean {
  if (!set) return true;
  if (set.kind === 'saved') return false;
  return set.ranges.some((r) => {
    const a = r.start === '*' ? lastUid : r.start;
    const b = r.end === '*' ? lastUid : r.end;
    return uid >= Math.min(a, b) && uid <= Math.max(a, b);
  });
}

/**
 * RFC 7162 §3.2.5: after the SELECT responses, the expunges the client missed as
 * "VANISHED (EARLIER)" (limited to the known UIDs it sent) and a FETCH of every message changed
 * since its modseq. The sequence-match data is only an optimisation for the server (§3.2.5.2) and
 * reporting every tombstone above the modseq is allowed, so it is not used.
 */
export async function writeQresyncChanges(ctx: CommandContext, mailbox: SelectedMailbox, params: QresyncParams): Promise<void> {
  const changes = await ctx.deps.store.changesSince(mailbox.accountId, mailbox.mailboxId, params.modseq);
  const last = changes.vanished.reduce((max, uid) => Math.max(max, uid), mailbox.lastUid);
  const vanished = changes.vanished.filter((uid) => uidSetHas(params.knownUids, uid, last));
  if (vanished.length > 0) ctx.out.untagged(`VANISHED (EARLIER) ${formatSet(vanished.sort((a, b) => a - b))}`);
  for (const meta of changes.changed) {
    const seq = mailbox.seqOf(meta.uid);
    if (seq === 0) continue;
    mailbox.noteReported(meta.uid, meta.modseq);
    ctx.out.untagged(`${seq} FETCH (UID ${meta.uid} FLAGS (${meta.flags.join(' ')}) MODSEQ (${meta.modseq}))`);
  }
}
