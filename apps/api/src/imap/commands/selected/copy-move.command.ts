import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { bad, no, ok, selectedOf, storeFailure } from './selected-context.js';
import { formatSet } from './uid-set.js';

/**
 * COPY / UID COPY (RFC 9051 §6.4.7) and MOVE / UID MOVE (RFC 6851), with COPYUID (RFC 4315 §3).
 * A missing target is NO [TRYCREATE] (RFC 9051 §6.4.7). MOVE reports COPYUID in an untagged OK
 * before the EXPUNGEs (or VANISHED) of the moved messages, then a plain tagged OK (RFC 6851 §4.3);
 * the moved UIDs go through the selected mailbox's queue so they are written in the right order
 * with anything else pending.
 */
export const copyMoveCommand: ImapCommandHandler<'COPY' | 'MOVE'> = {
  names: ['COPY', 'MOVE'],
  allowedIn: ['selected'],
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'COPY' | 'MOVE' }>): Promise<Completion> {
    const { user, mailbox } = selectedOf(ctx);
    const name = `${command.uid ? 'UID ' : ''}${command.name}`;
    if (command.name === 'MOVE' && mailbox.isReadOnly) return no('Mailbox is read-only', 'READ-ONLY');
    const uids = mailbox.resolve(command.set, command.uid, ctx.session.savedSearch);
    if (!Array.isArray(uids)) return bad(uids.error);
    try {
      const target = await ctx.deps.store.findMailbox(user.accountId, command.mailbox);
      if (!target) return no('No such mailbox', 'TRYCREATE');
      // RFC 9051 §6.4.9: a UID set naming no message is not an error.
      if (uids.length === 0) return ok(`${name} completed, no messages`);
      if (command.name === 'COPY') {
        const result = await ctx.deps.store.copyMessages(user.accountId, mailbox.mailboxId, uids, target.id);
        return ok(`${name} completed`, copyUid(result));
      }
      const result = await ctx.deps.store.moveMessages(user.accountId, mailbox.mailboxId, uids, target.id);
      if (result.sourceUids.length > 0) ctx.out.untagged(`OK [${copyUid(result)}] Moved`);
      mailbox.queueExpunged(result.sourceUids);
    } catch (err) {
      return storeFailure(ctx, err);
    }
    await mailbox.flushUpdates(ctx.out, { allowExpunge: true });
    return ok(`${name} completed`);
  },
};

function copyUid(result: { uidValidity: number; sourceUids: number[]; destinationUids: number[] }): string | undefined {
  if (result.sourceUids.length === 0) return undefined;
  return `COPYUID ${result.uidValidity} ${formatSet(result.sourceUids)} ${formatSet(result.destinationUids)}`;
}
