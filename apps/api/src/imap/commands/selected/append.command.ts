import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import { no, ok, storableFlags, storeFailure, userOf } from './selected-context.js';
import { formatSet } from './uid-set.js';

/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), APPENDUID (RFC 4315 §3), APPENDLIMIT
 * (RFC 7889: over the limit is NO [TOOBIG] before anything is stored) and TRYCREATE. OK only after
 * the store's COMMIT (DESIGN invariant 1). Appending to the selected mailbox: the new EXISTS reaches
 * this session through the bus and flushUpdates, like anyone else's delivery.
 *
 * MULTIAPPEND is all or nothing (RFC 3502 §6.3.11); the store appends one message per transaction,
 * so when a later message fails the earlier ones are taken back (\Deleted + UID EXPUNGE): other
 * sessions may glimpse them come and go, but none stays. If even that fails, the NO says how many
 * were stored.
 */
export const appendCommand: ImapCommandHandler<'APPEND'> = {
  names: ['APPEND'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'APPEND' }>): Promise<Completion> {
    const user = userOf(ctx);
    if (command.messages.some((m) => m.message.length > ctx.deps.maxMessageBytes)) {
      return no(`Message larger than ${ctx.deps.maxMessageBytes} bytes`, 'TOOBIG');
    }
    if (command.messages.some((m) => m.message.length === 0)) return no('Empty message', 'CANNOT');
    const uids: number[] = [];
    let uidValidity = 0;
    let targetId: string | undefined;
    try {
      const target = await ctx.deps.store.findMailbox(user.accountId, command.mailbox);
      if (!target) return no('No such mailbox', 'TRYCREATE');
      targetId = target.id;
      for (const m of command.messages) {
        const stored = await ctx.deps.store.append(user.accountId, target.id, m.message, storableFlags(m.flags), m.date);
        uids.push(stored.uid);
        uidValidity = stored.uidValidity;
      }
    } catch (err) {
      const failure = storeFailure(ctx, err);
      if (uids.length === 0 || targetId === undefined) return failure;
      const isUndone = await takeBack(ctx, user.accountId, targetId, uids);
      return isUndone
        ? failure
        : { ...failure, text: `${failure.text} (${uids.length} of ${command.messages.length} messages were stored)` };
    }
    return ok('APPEND completed', `APPENDUID ${uidValidity} ${formatSet(uids)}`);
  },
};

/** Removes messages this APPEND stored before a later one failed. */
async function takeBack(ctx: CommandContext, accountId: string, mailboxId: string, uids: number[]): Promise<boolean> {
  try {
    await ctx.deps.store.storeFlags({ accountId, mailboxId, uids, op: 'add', flags: ['\\Deleted'] });
    const removed = await ctx.deps.store.expunge(accountId, mailboxId, uids);
    return removed.uids.length === uids.length;
  } catch {
    return false;
  }
}
