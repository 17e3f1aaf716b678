import type { FetchItem, ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { fetchBodiesInBatches, isBodyFetch } from './fetch-bodies.js';
import { fetchInBatches } from './fetch-general.js';
import { fetchLinesInBatches, isLineFetch } from './fetch-lines.js';
import { uidSetHas } from './select-qresync.js';
import { bad, isCondstore, no, ok, selectedOf, storeFailure } from './selected-context.js';
import { formatSet } from './uid-set.js';

export { FETCH_BATCH } from './fetch-general.js';

type FetchCommand = Extract<ImapCommand, { name: 'FETCH' }>;

/**
 * FETCH / UID FETCH (RFC 9051 §6.4.5, §6.4.9; RFC 7162 §3.1.4 CHANGEDSINCE, §3.2.6 VANISHED).
 * Messages another session expunged meanwhile are skipped (they still have sequence numbers until
 * the EXPUNGE may be sent). Metadata-only FETCHes (fetch-lines) and whole-body downloads
 * (fetch-bodies) take fast paths; everything else, and their batches they cannot serve, the
 * general path (fetch-general).
 */
export const fetchCommand: ImapCommandHandler<'FETCH'> = {
  names: ['FETCH'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: FetchCommand): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (command.vanished && (!command.uid || command.changedSince === undefined || !ctx.session.enabled.has('QRESYNC'))) {
      return bad('VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC enabled');
    }
    // RFC 7162 §3.1: CHANGEDSINCE and the MODSEQ item are CONDSTORE-enabling.
    if (command.changedSince !== undefined || command.items.some((i) => i.type === 'MODSEQ')) ctx.session.enable('CONDSTORE');
    const uids = mailbox.resolve(command.set, command.uid, ctx.session.savedSearch);
    if (!Array.isArray(uids)) return bad(uids.error);
    // UID FETCH always answers UID (RFC 9051 §6.4.9); under CONDSTORE every FETCH does (RFC 7162 §3.1, erratum 1807 of RFC 5162).
    const withUid = (command.uid || isCondstore(ctx)) && !command.items.some((i) => i.type === 'UID');
    const items: FetchItem[] = withUid ? [{ type: 'UID' }, ...command.items] : command.items;
    try {
      if (command.vanished && command.changedSince !== undefined) await writeVanished(ctx, mailbox, command, command.changedSince);
      const outcome = isLineFetch(items)
        ? await fetchLinesInBatches(ctx, mailbox, uids, items, command.changedSince)
        : isBodyFetch(items)
          ? await fetchBodiesInBatches(ctx, mailbox, uids, items, command.changedSince)
          : await fetchInBatches(ctx, mailbox, uids, items, command.changedSince);
      if ('status' in outcome) return outcome;
      // RFC 5530 EXPUNGEISSUED / RFC 2180 §4.1: messages another session expunged (the EXPUNGE may not be sent yet).
      if (outcome.gone > 0) {
        const text = 'Some messages were expunged by another session';
        return outcome.written > 0 ? ok(text, 'EXPUNGEISSUED') : no(text, 'EXPUNGEISSUED');
      }
    } catch (err) {
      return storeFailure(ctx, err);
    }
    return ok(`${command.uid ? 'UID FETCH' : 'FETCH'} completed`);
  },
};

/** RFC 7162 §3.2.6: the UIDs of the requested set expunged since the client's modseq. */
async function writeVanished(ctx: CommandContext, mailbox: SelectedMailbox, command: FetchCommand, since: bigint): Promise<void> {
  const changes = await ctx.deps.store.changesSince(mailbox.accountId, mailbox.mailboxId, since);
  const vanished = changes.vanished.filter((uid) => uidSetHas(command.set, uid, mailbox.lastUid)).sort((a, b) => a - b);
  if (vanished.length > 0) ctx.out.untagged(`VANISHED (EARLIER) ${formatSet(vanished)}`);
}
