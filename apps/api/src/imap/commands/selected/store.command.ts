import type { ImapCommand } from '@correio/imap-protocol';
import type { ImapMessageFlags } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { bad, isCondstore, no, ok, selectedOf, storableFlags, storeFailure } from './selected-context.js';
import { formatSet } from './uid-set.js';

/**
 * STORE / UID STORE (RFC 9051 §6.4.6; RFC 7162 §3.1.3 UNCHANGEDSINCE). The untagged FETCH of the
 * new flags is this command's own report: the mailbox remembers its modseq so the bus echo of the
 * same change is not reported again. .SILENT suppresses it (RFC 9051 §6.4.6); changes other
 * sessions made still reach the client through flushUpdates.
 */
export const storeCommand: ImapCommandHandler<'STORE'> = {
  names: ['STORE'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'STORE' }>): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (mailbox.isReadOnly) return no('Mailbox is read-only', 'READ-ONLY');
    if (command.unchangedSince !== undefined) ctx.session.enable('CONDSTORE');
    const uids = mailbox.resolve(command.set, command.uid, ctx.session.savedSearch);
    if (!Array.isArray(uids)) return bad(uids.error);
    if (uids.length === 0) return ok('STORE completed');
    let result: Awaited<ReturnType<typeof ctx.deps.store.storeFlags>>;
    try {
      result = await ctx.deps.store.storeFlags({
        accountId: mailbox.accountId,
        mailboxId: mailbox.mailboxId,
        uids,
        op: command.op,
        flags: storableFlags(command.flags),
        unchangedSince: command.unchangedSince,
      });
    } catch (err) {
      return storeFailure(ctx, err);
    }
    const withModseq = isCondstore(ctx);
    const reports: ImapMessageFlags[] = [...result.changed, ...result.unchanged].sort((a, b) => a.uid - b.uid);
    if (command.op !== 'remove') mailbox.announceKeywords(storableFlags(command.flags), ctx.out);
    const changed = new Set(result.changed.map((m) => m.uid));
    for (const modseq of new Set(result.changed.map((m) => m.modseq))) mailbox.noteOwnChange(modseq);
    for (const m of reports) {
      const seq = mailbox.seqOf(m.uid);
      if (seq === 0) continue;
      // Reported (or, with .SILENT, known to the client that asked): the bus echo is not sent.
      mailbox.noteReported(m.uid, m.modseq);
      // RFC 7162 §3.1 (erratum 1807 of RFC 5162): under CONDSTORE every untagged FETCH carries UID and MODSEQ.
      const uid = command.uid || withModseq ? `UID ${m.uid} ` : '';
      if (command.silent) {
        // RFC 7162 §3.1.3: under CONDSTORE even .SILENT reports the new MODSEQ of what changed.
        if (withModseq && changed.has(m.uid)) ctx.out.untagged(`${seq} FETCH (${uid}MODSEQ (${m.modseq}))`);
        continue;
      }
      const modseq = withModseq ? ` MODSEQ (${m.modseq})` : '';
      ctx.out.untagged(`${seq} FETCH (${uid}FLAGS (${m.flags.join(' ')})${modseq})`);
    }
    if (result.modified.length > 0) {
      // RFC 7162 §3.1.3: MODIFIED lists UIDs for UID STORE, sequence numbers for STORE.
      const set = command.uid ? result.modified : result.modified.map((u) => mailbox.seqOf(u)).filter((s) => s > 0);
      return ok('Conditional STORE failed for some messages', `MODIFIED ${formatSet(set.sort((a, b) => a - b))}`);
    }
    // RFC 5530 EXPUNGEISSUED: some messages were expunged by another session meanwhile.
    const gone = uids.length - result.changed.length - result.unchanged.length - result.modified.length;
    if (gone > 0) {
      const text = 'Some messages were expunged by another session';
      return gone < uids.length ? ok(text, 'EXPUNGEISSUED') : no(text, 'EXPUNGEISSUED');
    }
    return ok('STORE completed');
  },
};
