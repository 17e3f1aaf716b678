import { describe, expect, it } from 'vitest';
import type { MessageSummary } from './api';
import { type ListState, mergeFirstPage, PAGE_SIZE } from './message-list-state';

/** Message n was received n minutes after the epoch (higher n: newer). */
const msg = (n: number) => ({ id: String(n), receivedAt: new Date(n * 60_000).toISOString() }) as MessageSummary;
const newestFirst = (from: number, count: number) => Array.from({ length: count }, (_, i) => msg(from - i));
const state = (items: MessageSummary[], nextCursor: string | null): ListState => ({
  mailboxId: '1',
  items,
  nextCursor,
  status: 'ready',
  error: null,
  isLoadingMore: false,
});

describe('mergeFirstPage', () => {
  it('keeps the older pages the user loaded below a refreshed first page, without duplicates', () => {
    const prev = state(newestFirst(200, 2 * PAGE_SIZE), 'cursor-page-3');
    // Two new messages arrived: the fresh first page is 202..153.
    const fresh = state(newestFirst(202, PAGE_SIZE), 'cursor-page-2');
    const merged = mergeFirstPage(prev, fresh);
    expect(merged.items.map((m) => Number(m.id))).toEqual(newestFirst(202, 2 * PAGE_SIZE + 2).map((m) => Number(m.id)));
    expect(merged.nextCursor).toBe('cursor-page-3');
  });

  it('takes the fresh page alone when only one page was loaded or the mailbox now fits on one', () => {
    const onePage = state(newestFirst(100, PAGE_SIZE), 'c');
    const fresh = state(newestFirst(101, PAGE_SIZE), 'c2');
    expect(mergeFirstPage(onePage, fresh)).toBe(fresh);
    const short = state(newestFirst(10, 10), null);
    expect(mergeFirstPage(state(newestFirst(200, 2 * PAGE_SIZE), 'c3'), short)).toBe(short);
  });
});
