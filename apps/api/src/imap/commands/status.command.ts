import type { ImapValue, StatusItem } from '@correio/imap-protocol';
import type { ImapMailboxStatus } from '../../mailbox-store/imap-store.types.js';
import type { CommandContext, ImapCommandHandler } from '../command-context.js';
import { wireMailboxName } from '../imap-wire.js';
import { isUtf8Session, userOf } from './user.js';

/**
 * The "(ITEM value ...)" of a STATUS response (RFC 9051 §7.3.4), shared with LIST-STATUS.
 * RECENT is always 0: the store keeps no \Recent (RFC 9051 dropped it; a rev1 client asking gets a
 * true "none new to this session" rather than a guess). APPENDLIMIT is the message size limit (RFC 7889 §4).
 */
export function statusItems(status: ImapMailboxStatus, items: readonly StatusItem[], maxMessageBytes: number): ImapValue[] {
  const out: ImapValue[] = [];
  for (const item of items) {
    out.push({ atom: item });
    switch (item) {
      case 'MESSAGES':
        out.push(status.messages);
        break;
      case 'UIDNEXT':
        out.push(status.uidNext);
        break;
      case 'UIDVALIDITY':
        out.push(status.uidValidity);
        break;
      case 'UNSEEN':
        out.push(status.unseen);
        break;
      case 'DELETED':
        out.push(status.deleted);
        break;
      case 'SIZE':
        out.push(status.size);
        break;
      case 'RECENT':
        out.push(0);
        break;
      case 'HIGHESTMODSEQ':
        out.push(status.highestModseq);
        break;
      case 'APPENDLIMIT':
        out.push(maxMessageBytes);
        break;
    }
  }
  return out;
}

/** "* STATUS name (...)". */
export function writeStatus(ctx: CommandContext, status: ImapMailboxStatus, items: readonly StatusItem[], isUtf8: boolean): void {
  ctx.out.untaggedValues([{ atom: 'STATUS' }, wireMailboxName(status.name, isUtf8), statusItems(status, items, ctx.deps.maxMessageBytes)]);
}

/** RFC 9051 §6.3.11 STATUS (+ RFC 8438 SIZE, RFC 7162 HIGHESTMODSEQ, RFC 7889 APPENDLIMIT). */
export const STATUS_COMMAND: ImapCommandHandler<'STATUS'> = {
  names: ['STATUS'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const user = userOf(ctx);
    const mailbox = await ctx.deps.store.findMailbox(user.accountId, cmd.mailbox);
    if (!mailbox) return { status: 'NO', code: 'NONEXISTENT', text: 'No such mailbox' };
    // RFC 7162 §3.1: STATUS (HIGHESTMODSEQ) is a CONDSTORE enabling command.
    if (cmd.items.includes('HIGHESTMODSEQ')) ctx.session.enable('CONDSTORE');
    const [status] = await ctx.deps.store.statusMailboxes(user.accountId, [mailbox.id], cmd.items);
    if (!status) return { status: 'NO', code: 'NONEXISTENT', text: 'No such mailbox' };
    writeStatus(ctx, status, cmd.items, isUtf8Session(ctx));
    return { status: 'OK', text: 'STATUS completed' };
  },
};
