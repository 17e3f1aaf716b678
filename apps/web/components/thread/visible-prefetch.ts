'use client';

/**
 * Gmail's way of making an opening instant: the bodies (and, in conversation view, the
 * conversations) of the first rows in view are asked for while the reader looks at the list, and a
 * row under the pointer for a moment is asked for before it is clicked.
 *
 * What keeps it from costing the list or the API anything that matters:
 * - it starts only after the rows are painted, when the list has stood still for SETTLE_MS and the
 *   browser is idle (requestIdleCallback), so opening a folder is not slowed;
 * - only the first MAX_ROWS rows in view, skipping the open one and those already asked for, at
 *   most CONCURRENCY at a time; scrolling cancels what has not started, so scrolling 100,000
 *   messages asks for nothing until it stops;
 * - nothing is marked read: GET /messages/:id and GET /conversations/:id never change \Seen; the
 *   reading pane marks read when it opens a conversation.
 */
import type { Row } from '@/lib/rows';
import { hasMessage, isPrefetched, loadMessage, prefetchConversation } from './message-cache';

// Longer than a quick run of clicks through folders takes: a prefetch started there would compete with
// the next folder's list on the API.
const SETTLE_MS = 600;
const MAX_ROWS = 6;
const CONCURRENCY = 2;
const HOVER_MS = 80;

function prefetchRow(row: Row, viewMailboxId: string | null): Promise<unknown> {
  return row.kind === 'conversation' ? prefetchConversation(row, viewMailboxId) : loadMessage(row.messageId).catch(() => {});
}

const isAsked = (row: Row, viewMailboxId: string | null) =>
  row.kind === 'conversation' ? isPrefetched(row, viewMailboxId) : hasMessage(row.messageId);

const whenIdle = (run: () => void): (() => void) => {
  if (typeof window.requestIdleCallback === 'function') {
    const id = window.requestIdleCallback(run, { timeout: 2000 });
    return () => window.cancelIdleCallback(id);
  }
  const id = setTimeout(run, 50);
  return () => clearTimeout(id);
};

/**
 * Schedules the prefetch of `rows` (those in view, top first); returns the cancel function for an
 * effect's cleanup (a new range, a scroll, another view).
 */
export function schedulePrefetch(rows: readonly Row[], viewMailboxId: string | null, openKey: string | null): () => void {
  let isCancelled = false;
  let cancelIdle = () => {};
  const settle = setTimeout(() => {
    cancelIdle = whenIdle(() => {
      const queue = rows.filter((r) => r.key !== openKey && !isAsked(r, viewMailboxId)).slice(0, MAX_ROWS);
      const worker = async () => {
        for (let row = queue.shift(); row && !isCancelled; row = queue.shift()) await prefetchRow(row, viewMailboxId);
      };
      for (let i = 0; i < CONCURRENCY; i++) void worker();
    });
  }, SETTLE_MS);
  return () => {
    isCancelled = true;
    clearTimeout(settle);
    cancelIdle();
  };
}

let hover: ReturnType<typeof setTimeout> | undefined;

/** The pointer rests on a row: ask for it unless it moves on within HOVER_MS. */
export function hoverRow(row: Row, viewMailboxId: string | null): void {
  clearTimeout(hover);
  hover = setTimeout(() => void prefetchRow(row, viewMailboxId), HOVER_MS);
}

export function leaveRow(): void {
  clearTimeout(hover);
}
