import type { ImapCommand, ImapValue } from '@correio/imap-protocol';
import type { ImapMailbox } from '../../mailbox-store/imap-store.types.js';
import type { SpecialUse } from '../../mailbox-store/mailbox-store.types.js';
import type { CommandContext, ImapCommandHandler } from '../command-context.js';
import { wireMailboxName } from '../imap-wire.js';
import { ancestorsOf, matcherFor } from './list-pattern.js';
import { writeStatus } from './status.command.js';
import { isUtf8Session, userOf } from './user.js';

/** RFC 6154 §2 attributes; INBOX has none (it is INBOX). */
export const SPECIAL_USE_ATTRIBUTE: Record<SpecialUse, string | undefined> = {
  inbox: undefined,
  sent: '\\Sent',
  drafts: '\\Drafts',
  trash: '\\Trash',
  junk: '\\Junk',
  archive: '\\Archive',
};

type ListCommand = Extract<ImapCommand, { name: 'LIST' }>;

interface Entry {
  name: string;
  mailbox: ImapMailbox | undefined;
  attributes: string[];
  /** RFC 5258 §3.5 CHILDINFO: listed because a descendant matched the selection. */
  childInfo?: string;
}

/**
 * RFC 9051 §6.3.9 LIST with RFC 5258 LIST-EXTENDED (selection SUBSCRIBED, SPECIAL-USE,
 * RECURSIVEMATCH; return SUBSCRIBED, CHILDREN, SPECIAL-USE), RFC 5819 LIST-STATUS and RFC 6154
 * special-use attributes. \HasChildren/\HasNoChildren are always sent (cheap: the whole tree is in
 * hand). A name whose parent does not exist ("a/b" without "a") shows the parent as \NonExistent
 * (extended) or \Noselect. Names go out in modified UTF-7 unless UTF-8 is enabled (RFC 6855 §3).
 */
export const LIST_COMMAND: ImapCommandHandler<'LIST'> = {
  names: ['LIST'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const isUtf8 = isUtf8Session(ctx);
    // RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root name.
    if (!cmd.isExtended && cmd.patterns.length === 1 && cmd.patterns[0] === '') {
      ctx.out.untaggedValues([{ atom: 'LIST' }, [{ atom: '\\Noselect' }], { string: '/' }, { string: '' }]);
      return { status: 'OK', text: 'LIST completed' };
    }
    const user = userOf(ctx);
    const mailboxes = await ctx.deps.store.listMailboxes(user.accountId);
    const entries = listEntries(mailboxes, cmd);
    const statusOf = await statusFor(ctx, user.accountId, entries, cmd);
    for (const [i, entry] of entries.entries()) {
      const values: ImapValue[] = [{ atom: 'LIST' }, entry.attributes.map((a) => ({ atom: a })), { string: '/' }, wireMailboxName(entry.name, isUtf8)];
      if (entry.childInfo) values.push([{ string: 'CHILDINFO' }, [{ string: entry.childInfo }]]);
      ctx.out.untaggedValues(values);
      const status = entry.mailbox && statusOf.get(entry.mailbox.id);
      if (status && cmd.return.status) writeStatus(ctx, status, cmd.return.status, isUtf8);
      if (i % 256 === 255) await ctx.out.drained();
    }
    return { status: 'OK', text: 'LIST completed' };
  },
};

/** LIST-STATUS (RFC 5819): one store call for every selectable mailbox listed. */
async function statusFor(ctx: CommandContext, accountId: string, entries: Entry[], cmd: ListCommand) {
  const items = cmd.return.status;
  const ids = entries.flatMap((e) => (e.mailbox ? [e.mailbox.id] : []));
  if (!items || items.length === 0 || ids.length === 0) return new Map();
  if (items.includes('HIGHESTMODSEQ')) ctx.session.enable('CONDSTORE');
  const statuses = await ctx.deps.store.statusMailboxes(accountId, ids, items);
  return new Map(statuses.map((s) => [s.id, s]));
}

/** The entries LIST answers with, in order: INBOX first, then by name. */
export function listEntries(mailboxes: ImapMailbox[], cmd: ListCommand): Entry[] {
  const byName = new Map(mailboxes.map((m) => [m.name, m]));
  // Every name in the tree, real or implied by a deeper one.
  const names = new Set<string>();
  for (const m of mailboxes) {
    names.add(m.name);
    for (const a of ancestorsOf(m.name)) names.add(a);
  }
  const hasChildren = new Set<string>();
  for (const n of names) for (const a of ancestorsOf(n)) hasChildren.add(a);
  const hasSubscribedChild = new Set<string>();
  for (const m of mailboxes) if (m.subscribed) for (const a of ancestorsOf(m.name)) hasSubscribedChild.add(a);

  const matchers = cmd.patterns.map((p) => matcherFor(cmd.reference, p));
  const sel = cmd.select;
  const wantSubscribed = sel.subscribed || cmd.return.subscribed;
  const out: Entry[] = [];
  for (const name of [...names].sort(compareNames)) {
    if (!matchers.some((match) => match(name))) continue;
    const mailbox = byName.get(name);
    const specialUse = mailbox?.specialUse ? SPECIAL_USE_ATTRIBUTE[mailbox.specialUse] : undefined;
    const isSubscribed = mailbox?.subscribed ?? false;
    let childInfo: string | undefined;
    if (sel.subscribed && !isSubscribed) {
      // RFC 5258 §3.5: with RECURSIVEMATCH a parent of a subscribed mailbox is listed with CHILDINFO.
      if (!(sel.recursiveMatch && hasSubscribedChild.has(name))) continue;
      childInfo = 'SUBSCRIBED';
    }
    if (sel.specialUse && !specialUse) continue;
    const attributes: string[] = [];
    if (!mailbox) attributes.push(cmd.isExtended ? '\\NonExistent' : '\\Noselect');
    attributes.push(hasChildren.has(name) ? '\\HasChildren' : '\\HasNoChildren');
    if (wantSubscribed && isSubscribed) attributes.push('\\Subscribed');
    if (specialUse) attributes.push(specialUse);
    out.push({ name, mailbox, attributes, childInfo });
  }
  return out;
}

function compareNames(a: string, b: string): number {
  const ia = a === 'INBOX' || a.startsWith('INBOX/');
  const ib = b === 'INBOX' || b.startsWith('INBOX/');
  if (ia !== ib) return ia ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * RFC 3501 §6.3.9 LSUB (kept for rev1 clients): subscribed mailboxes matching the pattern; a parent
 * matched by "%" whose child is subscribed is listed \Noselect.
 */
export const LSUB_COMMAND: ImapCommandHandler<'LSUB'> = {
  names: ['LSUB'],
  allowedIn: ['authenticated', 'selected'],
  async handle(ctx, cmd) {
    const isUtf8 = isUtf8Session(ctx);
    const user = userOf(ctx);
    const mailboxes = await ctx.deps.store.listMailboxes(user.accountId);
    const match = matcherFor(cmd.reference, cmd.pattern);
    const subscribed = new Set(mailboxes.filter((m) => m.subscribed).map((m) => m.name));
    const names = new Map<string, boolean>();
    for (const name of subscribed) {
      if (match(name)) names.set(name, true);
      for (const a of ancestorsOf(name)) if (!subscribed.has(a) && match(a) && cmd.pattern.endsWith('%')) names.set(a, false);
    }
    for (const [name, isListed] of [...names].sort(([a], [b]) => compareNames(a, b))) {
      ctx.out.untaggedValues([{ atom: 'LSUB' }, isListed ? [] : [{ atom: '\\Noselect' }], { string: '/' }, wireMailboxName(name, isUtf8)]);
    }
    return { status: 'OK', text: 'LSUB completed' };
  },
};
