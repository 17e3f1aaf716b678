import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { bad, isCondstore, no, ok, selectedOf, storeFailure } from './selected-context.js';

/**
 * EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1, only the \Deleted messages of the set).
 * The removed UIDs go through the selected mailbox's queue, so they are written in the one correct
 * order with any expunges other sessions made, as "* n EXPUNGE" or VANISHED under QRESYNC.
 */
export const expungeCommand: ImapCommandHandler<'EXPUNGE' | 'UID EXPUNGE'> = {
  names: ['EXPUNGE', 'UID EXPUNGE'],
  allowedIn: ['selected'],
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'EXPUNGE' | 'UID EXPUNGE' }>): Promise<Completion> {
    const { user, mailbox } = selectedOf(ctx);
    if (mailbox.isReadOnly) return no('Mailbox is read-only', 'READ-ONLY');
    let uids: number[] | undefined;
    if (command.name === 'UID EXPUNGE') {
      const resolved = mailbox.resolve(command.uids, true, ctx.session.savedSearch);
      if (!Array.isArray(resolved)) return bad(resolved.error);
      if (resolved.length === 0) return ok('UID EXPUNGE completed');
      uids = resolved;
    }
    let modseq: bigint;
    try {
      const result = await ctx.deps.store.expunge(user.accountId, mailbox.mailboxId, uids);
      mailbox.queueExpunged(result.uids);
      modseq = result.modseq;
    } catch (err) {
      return storeFailure(ctx, err);
    }
    await mailbox.flushUpdates(ctx.out, { allowExpunge: true });
    // RFC 7162 §3.2.10 (and §3.1 for CONDSTORE clients): the mailbox's new HIGHESTMODSEQ in the tagged OK.
    return ok(`${command.name} completed`, isCondstore(ctx) && modseq > 0n ? `HIGHESTMODSEQ ${modseq}` : undefined);
  },
};
