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
 * MULTIAPPEND is all or nothing (RFC 3502): the store appends every message of the command in one
 * transaction (appendMany).
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
    let stored: { uidValidity: number; uids: number[] };
    try {
      const target = await ctx.deps.store.findAppendTarget(user.accountId, command.mailbox);
      if (!target) return no('No such mailbox', 'TRYCREATE');
      const messages = command.messages.map((m) => ({ raw: m.message, flags: storableFlags(m.flags), internalDate: m.date }));
      stored = await ctx.deps.store.appendMany(user.accountId, target.id, messages, target);
    } catch (err) {
      return storeFailure(ctx, err);
    }
    return ok('APPEND completed', `APPENDUID ${stored.uidValidity} ${formatSet(stored.uids)}`);
  },
};
