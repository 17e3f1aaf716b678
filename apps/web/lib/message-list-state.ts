import type { MessageSummary } from './api';

/** Messages per page of a mailbox's list (the API's `limit`). */
export const PAGE_SIZE = 50;

/** The message list of the open mailbox, as the mail view holds it (components/mail/mail-store.tsx). */
export interface ListState {
  mailboxId: string;
  items: MessageSummary[];
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  isLoadingMore: boolean;
}

/**
 * A refreshed first page replaces the top of the list; older pages the user already loaded stay
 * below it (from the first message older than the new page), so a refresh never loses the place.
 */
export function mergeFirstPage(prev: ListState, fresh: ListState): ListState {
  if (prev.items.length <= PAGE_SIZE || fresh.nextCursor === null) return fresh;
  const last = fresh.items[fresh.items.length - 1];
  if (!last) return fresh;
  const seen = new Set(fresh.items.map((m) => m.id));
  const older = prev.items.filter((m) => !seen.has(m.id) && m.receivedAt <= last.receivedAt);
  return { ...fresh, items: fresh.items.concat(older), nextCursor: prev.nextCursor, isLoadingMore: prev.isLoadingMore };
}
