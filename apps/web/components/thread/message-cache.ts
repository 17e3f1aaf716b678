'use client';

/**
 * Message bodies asked for before they are shown: opening a conversation fetches its newest
 * message in parallel with the conversation itself (instead of one after the other), and a press
 * on a row starts it before the click lands. Only the first render reads from here; a copy is
 * kept 20 s at most and never past a change the reader made (flags come from the list anyway).
 */
import { api, type MessageDetail } from '@/lib/api';

const TTL_MS = 20_000;
const MAX = 30;
const cache = new Map<string, { at: number; promise: Promise<MessageDetail> }>();

export function loadMessage(id: string): Promise<MessageDetail> {
  const hit = cache.get(id);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.promise;
  const promise = api.getMessage(id, { remote: 'block' });
  // A failed load is not kept: the next ask tries again.
  promise.catch(() => cache.delete(id));
  cache.set(id, { at: Date.now(), promise });
  while (cache.size > MAX) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  return promise;
}

export function prefetchMessage(id: string): void {
  void loadMessage(id).catch(() => {});
}
