import { AppError, ErrorCode } from '../../common/app-error.js';
import type { SpecialUse } from '../../mailbox-store/mailbox-store.types.js';
import type { ImapCommandHandler } from '../command-context.js';
import { ancestorsOf } from './list-pattern.js';
import { userOf } from './user.js';

const USE: Record<string, SpecialUse> = { '\\SENT': 'sent', '\\DRAFTS': 'drafts', '\\TRASH': 'trash', '\\JUNK': 'junk', '\\ARCHIVE': 'archive' };

/** RFC 9051 §6.3.4: a trailing delimiter only says the client means to create children under it. */
function normalizeName(name: string): string {
  return name.replace(/\/+$/, '');
}

/**
 * RFC 9051 §6.3.4 CREATE, with RFC 6154 §3 USE (one special-use attribute per mailbox here; others
 * get NO [USEATTR]). Missing parents are created first (§6.3.4 SHOULD), each in its own transaction;
 * an existing one is fine.
 */
export const CREATE_COMMAND: ImapCommandHandler<'CREATE'> = {
  names: ['CREATE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    const name = normalizeName(cmd.mailbox);
    if (!name || name.split('/').some((part) => part === '')) return { status: 'NO', code: 'CANNOT', text: 'Invalid mailbox name' };
    if (cmd.specialUse.length > 1) return { status: 'NO', code: 'USEATTR', text: 'One special-use attribute per mailbox' };
    const use = cmd.specialUse[0] === undefined ? undefined : USE[cmd.specialUse[0].toUpperCase()];
    if (cmd.specialUse.length === 1 && !use) return { status: 'NO', code: 'USEATTR', text: `${cmd.specialUse[0]} is not supported` };
    if (name.toUpperCase() === 'INBOX') return { status: 'NO', code: 'ALREADYEXISTS', text: 'INBOX always exists' };
    for (const parent of ancestorsOf(name)) {
      if (await ctx.deps.store.findMailbox(accountId, parent)) continue;
      try {
        await ctx.deps.store.createMailbox(accountId, parent);
      } catch (err) {
        if (!(err instanceof AppError && err.code === ErrorCode.Conflict)) throw err;
      }
    }
    await ctx.deps.store.createMailbox(accountId, name, use);
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
    const to = normalizeName(cmd.to);
    if (!to || to.split('/').some((part) => part === '')) return { status: 'NO', code: 'CANNOT', text: 'Invalid mailbox name' };
    if (to.toUpperCase() === 'INBOX') return { status: 'NO', code: 'ALREADYEXISTS', text: 'INBOX always exists' };
    await ctx.deps.store.renameMailbox(accountId, cmd.from, to);
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
