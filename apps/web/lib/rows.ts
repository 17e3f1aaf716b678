/**
 * One row of the mail list, whatever it came from: a conversation (GET /conversations), a message
 * of a folder (GET /mailboxes/:id/page), or a search hit (GET /messages?q=). The list, selection,
 * keyboard and bulk actions only ever see rows; converting is done here, once.
 */
import type { ConversationSummary, MessageSummary, WebmailMessage } from '@correio/contracts';

export type HighlightField = 'subject' | 'snippet' | 'from';

export interface Row {
  /** Key in the list: the conversation id, or the message id. */
  key: string;
  kind: 'conversation' | 'message';
  /** The message to open or act on alone (a conversation's newest). */
  messageId: string;
  mailboxId: string;
  threadId: string;
  from: { name: string; address: string };
  /** Conversations: the senders; messages: just the sender. */
  participants: { name: string; address: string }[];
  subject: string;
  snippet: string;
  /** ISO 8601; the list's order (newest first). */
  at: string;
  isUnread: boolean;
  isStarred: boolean;
  hasAttachments: boolean;
  labelIds: string[];
  /** Messages in the conversation (1 for a message). */
  count: number;
  /** Search hits: [start, end) ranges to mark, per field. */
  highlights?: Partial<Record<HighlightField, { start: number; end: number }[]>>;
}

/**
 * A conversation is named by its topic, as Gmail does: the newest message's subject without the
 * reply/forward prefixes clients stack on it (Re:, Fwd:, and the Portuguese/German Res:, Enc:, AW:, WG:).
 */
export function threadSubject(subject: string): string {
  return subject.replace(/^\s*(?:(?:re|fwd?|res|enc|aw|wg|tr|sv|antw)\s*(?:\[\d+\])?\s*:\s*)+/i, '');
}

export function conversationRow(c: ConversationSummary, viewMailboxId: string | null): Row {
  return {
    key: `c${c.id}`,
    kind: 'conversation',
    messageId: c.latestMessageId,
    mailboxId: viewMailboxId && c.mailboxIds.includes(viewMailboxId) ? viewMailboxId : (c.mailboxIds[0] ?? ''),
    threadId: c.id,
    from: c.from,
    participants: c.participants,
    subject: c.messageCount > 1 ? threadSubject(c.subject) : c.subject,
    snippet: c.snippet,
    at: c.latestAt,
    isUnread: c.unreadCount > 0,
    isStarred: c.starred,
    hasAttachments: c.hasAttachments,
    labelIds: c.labelIds,
    count: c.messageCount,
  };
}

export function messageRow(m: MessageSummary & Partial<Pick<WebmailMessage, 'labelIds'>>): Row {
  return {
    key: m.id,
    kind: 'message',
    messageId: m.id,
    mailboxId: m.mailboxId,
    threadId: m.threadId,
    from: m.from,
    participants: [m.from],
    subject: m.subject,
    snippet: m.snippet,
    at: m.receivedAt,
    isUnread: !m.seen,
    isStarred: m.flagged,
    hasAttachments: m.hasAttachments,
    labelIds: m.labelIds ?? [],
    count: 1,
  };
}

/** A later page appended below: rows already shown (a new message shifted the pages) are skipped. */
export function appendPage(rows: readonly Row[], page: readonly Row[]): Row[] {
  const known = new Set(rows.map((r) => r.key));
  return rows.concat(page.filter((r) => !known.has(r.key)));
}

/**
 * A refreshed first page replaces the top of the list; older rows the user already scrolled to stay
 * below it (those older than the page's last row and not in it), so a live update never loses the
 * place. With only one page loaded, the fresh page simply replaces it.
 */
export function mergeFirstPage(rows: readonly Row[], loadedPages: number, fresh: readonly Row[], freshHasMore: boolean): Row[] {
  if (loadedPages <= 1 || !freshHasMore) return [...fresh];
  const last = fresh[fresh.length - 1];
  if (!last) return [...fresh];
  const inFresh = new Set(fresh.map((r) => r.key));
  const older = rows.filter((r) => !inFresh.has(r.key) && (r.at < last.at || (r.at === last.at && r.key < last.key)));
  return fresh.concat(older);
}

/**
 * A failed action's optimistic edit taken back: the rows named by `keys` as they were in `before`
 * (put back in the list's order if the edit had removed them), every other row as it is now. Not
 * `before` wholesale: other actions begun meanwhile (an archive while the opening's mark-read was
 * on its way) keep their own edits, so a late failure cannot bring back a row another action
 * removed.
 */
export function undoRows(current: readonly Row[], before: readonly Row[], keys: ReadonlySet<string>): Row[] {
  const old = new Map(before.filter((r) => keys.has(r.key)).map((r) => [r.key, r]));
  const present = new Set(current.map((r) => r.key));
  const restored = current.map((r) => old.get(r.key) ?? r);
  const missing = [...old.values()].filter((r) => !present.has(r.key));
  if (missing.length === 0) return restored;
  // Newest first, as the server orders a page (at, then key, descending: mergeFirstPage's order).
  return [...restored, ...missing].sort((a, b) => (a.at === b.at ? (a.key < b.key ? 1 : a.key > b.key ? -1 : 0) : a.at < b.at ? 1 : -1));
}

/** Optimistic local edit of some rows (the server's answer or the next refresh settles it). */
export function patchRows(rows: readonly Row[], keys: ReadonlySet<string>, patch: Partial<Row>): Row[] {
  return rows.map((r) => (keys.has(r.key) ? { ...r, ...patch } : r));
}
