import type { CommandContext, ImapCommandHandler } from '../command-context.js';
import { wireMailboxName } from '../imap-wire.js';
import { isUtf8Session, userOf } from './user.js';

/**
 * RFC 9208 QUOTA: one quota root "" per account, holding the account's storage quota (STORAGE in
 * KiB, §5.1). Only a resource with a limit is listed: an account without a quota (0) answers
 * `* QUOTA "" ()`. There is no message-count limit, so MESSAGE is not offered (QUOTA=RES-MESSAGE).
 */
async function writeQuota(ctx: CommandContext): Promise<void> {
  const { accountId } = userOf(ctx);
  const q = await ctx.deps.store.quota(accountId);
  const resources = q.limitBytes > 0 ? `STORAGE ${Math.ceil(q.usedBytes / 1024)} ${Math.floor(q.limitBytes / 1024)}` : '';
  ctx.out.untagged(`QUOTA "" (${resources})`);
}

export const GETQUOTA_COMMAND: ImapCommandHandler<'GETQUOTA'> = {
  names: ['GETQUOTA'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    if (cmd.root !== '') return { status: 'NO', code: 'NONEXISTENT', text: 'No such quota root' };
    await writeQuota(ctx);
    return { status: 'OK', text: 'GETQUOTA completed' };
  },
};

export const GETQUOTAROOT_COMMAND: ImapCommandHandler<'GETQUOTAROOT'> = {
  names: ['GETQUOTAROOT'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const { accountId } = userOf(ctx);
    if (!(await ctx.deps.store.findMailbox(accountId, cmd.mailbox))) return { status: 'NO', code: 'NONEXISTENT', text: 'No such mailbox' };
    ctx.out.untaggedValues([{ atom: 'QUOTAROOT' }, wireMailboxName(cmd.mailbox, isUtf8Session(ctx)), { string: '' }]);
    await writeQuota(ctx);
    return { status: 'OK', text: 'GETQUOTAROOT completed' };
  },
};

/** RFC 9208 §4.3: quotas are the administrator's (dashboard, CLI), not the user's. */
export const SETQUOTA_COMMAND: ImapCommandHandler<'SETQUOTA'> = {
  names: ['SETQUOTA'],
  allowedIn: ['authenticated', 'selected'],
  async handle() {
    return { status: 'NO', code: 'NOPERM', text: 'Quotas are set by the administrator' };
  },
};
