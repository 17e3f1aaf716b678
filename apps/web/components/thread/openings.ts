'use client';

/**
 * The requests of the opening the reader is waiting for, so that background re-reads wait for
 * them. Marking a conversation read echoes back as a live update, whose re-reads (the list, the
 * folders, the labels) used to start while the next conversation opened and put its requests
 * behind three others on the same API (the slow openings of issue 12's p95). A re-read is never
 * held more than MAX_HOLD_MS: a hung request must not freeze the list.
 */
const MAX_HOLD_MS = 1000;
const inFlight = new Set<Promise<unknown>>();

export function trackOpening(requests: Promise<unknown>): void {
  inFlight.add(requests);
  void requests.finally(() => inFlight.delete(requests));
}

/** Resolves once no opening is in flight (at once when none is), or after MAX_HOLD_MS. */
export function afterOpenings(): Promise<void> {
  if (inFlight.size === 0) return Promise.resolve();
  const settled = Promise.allSettled([...inFlight]).then(() => afterOpenings());
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, MAX_HOLD_MS))]);
}

/**
 * afterOpenings, then the browser's next idle moment (300 ms at most): marking read re-renders the
 * list (the row's optimistic patch), which on a busy main thread delayed the body's first paint
 * when the opening's answers were already there (prefetched).
 */
export async function afterOpeningPainted(): Promise<void> {
  await afterOpenings();
  if (typeof window.requestIdleCallback !== 'function') return;
  await new Promise<void>((resolve) => window.requestIdleCallback(() => resolve(), { timeout: 300 }));
}
