import type { MailboxView, SpecialUse } from './api';

/** Display order of the special-use mailboxes; every other folder follows, by name. */
const SPECIAL_ORDER: readonly SpecialUse[] = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'];

const SPECIAL_LABEL: Record<SpecialUse, string> = {
  inbox: 'Inbox',
  drafts: 'Drafts',
  sent: 'Sent',
  archive: 'Archive',
  junk: 'Junk',
  trash: 'Trash',
};

function rank(m: MailboxView): number {
  const i = m.specialUse ? SPECIAL_ORDER.indexOf(m.specialUse) : -1;
  return i === -1 ? SPECIAL_ORDER.length : i;
}

export function sortMailboxes(items: readonly MailboxView[]): MailboxView[] {
  return [...items].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** The IMAP name of the inbox is "INBOX"; people expect "Inbox". */
export function mailboxLabel(m: MailboxView): string {
  return m.specialUse ? SPECIAL_LABEL[m.specialUse] : m.name;
}

export function findInbox(items: readonly MailboxView[]): MailboxView | undefined {
  return items.find((m) => m.specialUse === 'inbox') ?? items[0];
}

/** Unread counts matter in these; in Sent/Drafts/Trash people don't want a nagging number. */
export function showsUnreadCount(m: MailboxView): boolean {
  return m.specialUse !== 'sent' && m.specialUse !== 'drafts' && m.specialUse !== 'trash';
}
