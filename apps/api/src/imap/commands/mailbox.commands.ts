import type { SpecialUse } from '../../mailbox-store/mailbox-store.types.js';
import type { ImapCommandHandler } from '../command-context.js';
import { userOf } from './user.js';

const USE: Record<string, SpecialUse> = { '\\SENT': 'sent', '\\DRAFTS': 'drafts', '\\TRASH': 'trash', '\\JUNK': 'junk', '\\ARCHIVE': 'archive' };

/**
 * RFC 9051 §6.3.4 CREATE, with RFC 6154 §3 USE (one special-use attribute per mailbox here; others
 * get NO [USEATTR]). The store drops a trailing delimiter, refuses names LIST could not return,
 * and creates missing parents in the same transaction (§6.3.4 SHOULD).
 */
export const CREATE_COMMAND: ImapCommandHandler<'CREATE'> = {
  names: ['CREATE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    if (cmd.specialUse.length > 1) return { status: 'NO', code: 'USEATTR', text: 'One special-use attribute per mailbox' };
    const use = cmd.specialUse[0] === undefined ? undefined : USE[cmd.specialUse[0].toUpperCase()];
    if (cmd.specialUse.length === 1 && !use) return { status: 'NO', code: 'USEATTR', text: `${cmd.specialUse[0]} is not supported` };
    await ctx.deps.store.createMailbox(accountId, cmd.mailbox, use);
    return { status: 'OK', text: 'CREATE completed' };
  },
};

/** RFC 9051 §6.3.5 DELETE: the store refuses INBOX (NO [CANNOT]); children stay. */
export const DELETE_COMMAND: ImapCommandHandler<'DELETE'> = {
  names: ['DELETE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    const state = ctx.session.state;
    // The selected mailbox cannot vanish under the session's sequence numbers.
    if (state.kind === 'selected' && state.mailbox.name === cmd.mailbox) return { status: 'NO', code: 'INUSE', text: 'Mailbox is selected; CLOSE it first' };
    await ctx.deps.store.deleteMailbox(accountId, cmd.mailbox);
    return { status: 'OK', text: 'DELETE completed' };
  },
};

/** RFC 9051 §6.3.6 RENAME: children follow; INBOX moves its messages to the new name and stays. */
export const RENAME_COMMAND: ImapCommandHandler<'RENAME'> = {
  names: ['RENAME'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    await ctx.deps.store.renameMailbox(accountId, cmd.from, cmd.to);
    return { status: 'OK', text: 'RENAME completed' };
  },
};

/** RFC 9051 §6.3.7–§6.3.8: subscriptions are a mark on existing mailboxes here. */
export const SUBSCRIBE_COMMANDS: ImapCommandHandler<'SUBSCRIBE' | 'UNSUBSCRIBE'> = {
  names: ['SUBSCRIBE', 'UNSUBSCRIBE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    await ctx.deps.store.setSubscribed(accountId, cmd.mailbox, cmd.name === 'SUBSCRIBE');
    return { status: 'OK', text: `${cmd.name} completed` };
  },
};
