import type { ImapCommand } from '@correio/imap-protocol';
import type { CommandContext, Completion, ImapCommandHandler, SelectedMailboxView } from '../../command-context.js';
import { wireMailboxName } from '../../imap-wire.js';
import { SelectedMailbox } from '../../selected-mailbox.js';
import { normalizeMailboxName } from '../../../mailbox-store/imap-names.js';
import type { ImapMailbox, ImapSnapshot } from '../../../mailbox-store/imap-store.types.js';
import { SPECIAL_USE_ATTRIBUTE } from '../list.command.js';
import { writeQresyncChanges } from './select-qresync.js';
import { bad, no, ok, storeFailure, userOf } from './selected-context.js';

/**
 * SELECT / EXAMINE (RFC 9051 §6.3.2, §6.3.3; RFC 3501 §6.3.1 for rev1 clients; RFC 7162 §3.1.8 and
 * §3.2.5 for CONDSTORE / QRESYNC). Selecting while a mailbox is selected closes it first, without
 * expunging, and says so with OK [CLOSED] (RFC 9051 §6.3.2, RFC 7162 §3.2.11); if the new SELECT
 * fails the session is left authenticated.
 */
export const selectCommand: ImapCommandHandler<'SELECT' | 'EXAMINE'> = {
  names: ['SELECT', 'EXAMINE'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx: CommandContext, command: Extract<ImapCommand, { name: 'SELECT' | 'EXAMINE' }>): Promise<Completion> {
    const user = userOf(ctx);
    if (command.qresync && !ctx.session.enabled.has('QRESYNC')) return bad('QRESYNC is not enabled');
    const previous = ctx.session.state.kind === 'selected' ? ctx.session.state.mailbox : undefined;
    // The OK [CLOSED] goes out with the rest of the answer, not before the store is asked: it only
    // has to precede the new mailbox's responses and the tagged line (RFC 7162 §3.2.11), and written
    // at once it was a socket write (and a client wake-up) of its own on every re-SELECT.
    let closedPending = previous !== undefined;
    const sayClosed = () => {
      if (closedPending) ctx.out.untagged('OK [CLOSED] Previous mailbox closed');
      closedPending = false;
    };
    if (previous) ctx.session.setState({ kind: 'authenticated', user });
    if (command.condstore) ctx.session.enable('CONDSTORE');
    const isReadOnly = command.name === 'EXAMINE';
    try {
      const options = { accountId: user.accountId, isReadOnly, enabled: ctx.session.enabled };
      let opened = previous && !previous.isDeleted ? await reopen(ctx, previous, command.mailbox, options) : undefined;
      if (!opened) {
        const found = await ctx.deps.store.findMailbox(user.accountId, command.mailbox);
        if (!found) {
          sayClosed();
          return no('No such mailbox', 'NONEXISTENT');
        }
        // Selected before the snapshot is read: changes committed meanwhile are noted, not lost.
        const selected = new SelectedMailbox(ctx.deps.store, found, options);
        ctx.session.setState({ kind: 'selected', user, mailbox: selected });
        opened = { mailbox: selected, snapshot: await ctx.deps.store.snapshot(user.accountId, found.id) };
      }
      const { mailbox, snapshot } = opened;
      mailbox.load(snapshot);
      sayClosed();
      writeSelectResponses(ctx, mailbox, snapshot);
      if (command.qresync && command.qresync.uidValidity === snapshot.mailbox.uidValidity) {
        await writeQresyncChanges(ctx, mailbox, command.qresync);
      }
    } catch (err) {
      ctx.session.setState({ kind: 'authenticated', user });
      sayClosed();
      return storeFailure(ctx, err);
    }
    return ok(`${command.name} completed`, isReadOnly ? 'READ-ONLY' : 'READ-WRITE');
  },
};

/**
 * SELECT of the mailbox that was selected (a client re-opening its folder, as the mixed load does
 * every loop): its id is known, so the snapshot is the only read — the mailbox row it reads in the
 * same statement says whether that id still has the name asked for and the same UIDVALIDITY
 * (neither renamed away nor deleted). Otherwise undefined, and the caller looks the name up.
 */
async function reopen(
  ctx: CommandContext,
  previous: SelectedMailboxView,
  name: string,
  options: ConstructorParameters<typeof SelectedMailbox>[2],
): Promise<{ mailbox: SelectedMailbox; snapshot: ImapSnapshot } | undefined> {
  let wanted: string;
  try {
    wanted = normalizeMailboxName(name, false);
  } catch {
    return undefined;
  }
  if (wanted !== previous.name) return undefined;
  const user = userOf(ctx);
  const known: ImapMailbox = {
    id: previous.mailboxId,
    name: previous.name,
    specialUse: null,
    subscribed: false,
    uidValidity: previous.uidValidity,
    uidNext: 0,
    highestModseq: 0n,
  };
  // Selected before the snapshot is read (as below): changes committed meanwhile are noted, not lost.
  const mailbox = new SelectedMailbox(ctx.deps.store, known, options);
  ctx.session.setState({ kind: 'selected', user, mailbox });
  let snapshot: ImapSnapshot;
  try {
    snapshot = await ctx.deps.store.snapshot(user.accountId, previous.mailboxId);
  } catch {
    ctx.session.setState({ kind: 'authenticated', user });
    return undefined;
  }
  if (snapshot.mailbox.name !== wanted || snapshot.mailbox.uidValidity !== previous.uidValidity) {
    ctx.session.setState({ kind: 'authenticated', user });
    return undefined;
  }
  return { mailbox, snapshot };
}

function writeSelectResponses(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  snapshot: Awaited<ReturnType<CommandContext['deps']['store']['snapshot']>>,
): void {
  const out = ctx.out;
  const isRev2 = ctx.session.enabled.has('IMAP4REV2');
  out.untagged(`${mailbox.exists} EXISTS`);
  // RFC 3501 §6.3.1: rev1 clients expect RECENT and UNSEEN; \Recent is not kept, so 0 (RFC 9051 dropped both).
  if (!isRev2) {
    out.untagged('0 RECENT');
    if (snapshot.firstUnseenSeq > 0) out.untagged(`OK [UNSEEN ${snapshot.firstUnseenSeq}] First unseen`);
  }
  out.untagged(`OK [UIDVALIDITY ${snapshot.mailbox.uidValidity}] UIDs valid`);
  out.untagged(`OK [UIDNEXT ${snapshot.mailbox.uidNext}] Predicted next UID`);
  mailbox.writeFlags(out);
  // RFC 9051 §6.3.2: an IMAP4rev2 client is told the mailbox's name and attributes in a LIST response.
  if (isRev2) {
    const specialUse = snapshot.mailbox.specialUse ? SPECIAL_USE_ATTRIBUTE[snapshot.mailbox.specialUse] : undefined;
    out.untaggedValues([
      { atom: 'LIST' },
      specialUse ? [{ atom: specialUse }] : [],
      { string: '/' },
      wireMailboxName(snapshot.mailbox.name, true),
    ]);
  }
  // RFC 7162 §3.1.2.1: a server with persistent modseqs sends HIGHESTMODSEQ on every SELECT/EXAMINE.
  out.untagged(`OK [HIGHESTMODSEQ ${snapshot.mailbox.highestModseq}] Highest`);
}
