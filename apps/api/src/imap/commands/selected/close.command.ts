import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { ok, selectedOf, storeFailure } from './selected-context.js';

/**
 * CLOSE (RFC 9051 §6.4.1): expunges \Deleted messages silently when read-write, then leaves the
 * selected state. UNSELECT (RFC 3691, RFC 9051 §6.4.2): leaves it without expunging.
 */
export const closeCommand: ImapCommandHandler<'CLOSE' | 'UNSELECT'> = {
  names: ['CLOSE', 'UNSELECT'],
  allowedIn: ['selected'],
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'CLOSE' | 'UNSELECT' }>): Promise<Completion> {
    const { user, mailbox } = selectedOf(ctx);
    let code: string | undefined;
    if (command.name === 'CLOSE' && !mailbox.isReadOnly) {
      try {
        const result = await ctx.deps.store.expunge(user.accountId, mailbox.mailboxId);
        // RFC 7162 §3.2.10: a QRESYNC client learns the mailbox's HIGHESTMODSEQ after the silent expunge.
        if (ctx.session.enabled.has('QRESYNC') && result.modseq > 0n) code = `HIGHESTMODSEQ ${result.modseq}`;
      } catch (err) {
        return storeFailure(ctx, err);
      }
    }
    ctx.session.setState({ kind: 'authenticated', user });
    return ok(`${command.name} completed`, code);
  },
};

/** CHECK (RFC 3501 §6.4.1, gone in RFC 9051): every change is already committed, so nothing to do. */
export const checkCommand: ImapCommandHandler<'CHECK'> = {
  names: ['CHECK'],
  allowedIn: ['selected'],
  async handle(): Promise<Completion> {
    return ok('CHECK completed');
  },
};
