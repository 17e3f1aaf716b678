import type { MailboxView, MessageSummary } from '@correio/contracts';
import type { MailboxRow, MessageRow } from '../mailbox-store/mailbox-store.types.js';
import type { ListCursor } from '../mailbox-store/repositories/message.repository.js';

/** Store rows → REST contract shapes. */

const ORDER = ['inbox', 'drafts', 'sent', 'archive', 'junk', 'trash'];

export function toMailboxView(m: MailboxRow): MailboxView {
  return { id: m.id, name: m.name, specialUse: m.specialUse, total: m.total, unread: m.unread };
}

/** Special-use mailboxes first in the order mail clients show them, then the rest by name. */
export function sortMailboxes(list: MailboxView[]): MailboxView[] {
  const rank = (m: MailboxView) => (m.specialUse ? ORDER.indexOf(m.specialUse) : ORDER.length);
  return [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export function toMessageSummary(m: MessageRow): MessageSummary {
  return {
    id: m.id,
    mailboxId: m.mailboxId,
    uid: m.uid,
    threadId: m.threadId,
    from: { name: m.fromName, address: m.fromAddress },
    to: m.toAddresses,
    subject: m.subject,
    snippet: m.snippet,
    receivedAt: m.internalDate.toISOString(),
    seen: m.seen,
    flagged: m.flagged,
    answered: m.answered,
    hasAttachments: m.hasAttachments,
    size: m.size,
  };
}

export function encodeCursor(m: MessageRow): string {
  return Buffer.from(`${m.internalDate.toISOString()}|${m.id}`).toString('base64url');
}

// Exactly what encodeCursor writes: toISOString() (a 4-digit year, which PostgreSQL's timestamptz
// can hold) and a positive BIGINT id. Anything else would reach SQL as an out-of-range value.
const CURSOR_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** undefined for anything that is not a cursor we issued (the caller answers 400). */
export function decodeCursor(raw: string): ListCursor | undefined {
  const [date, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!date || !id || rest.length > 0 || !CURSOR_DATE.test(date) || !/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > MAX_BIGINT) {
    return undefined;
  }
  const internalDate = new Date(date);
  return Number.isNaN(internalDate.getTime()) ? undefined : { internalDate, id };
}
