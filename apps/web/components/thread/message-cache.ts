'use client';

/**
 * Message bodies and conversations asked for before they are shown: a click on a row starts both
 * requests before React renders anything (the pane's own effects would start them a render later,
 * 30–50 ms on a busy machine), a press on a row starts the body before the click lands, and the
 * newest message of a conversation is fetched alongside the conversation, not after it.
 *
 * A body is kept 20 s at most (flags come from the list anyway). A conversation is handed over
 * once: the pane that opens it takes the answer, and every later read (a new reply, a change)
 * asks the server again, so nothing stale is ever shown from here.
 */
import { api, type ConversationDetail, type MessageDetail } from '@/lib/api';

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

/** A conversation request started by the click, waiting for the pane that opens it (2 s at most). */
let pending: { key: string; at: number; promise: Promise<ConversationDetail> } | null = null;
const HANDOVER_MS = 2000;
const conversationKey = (threadId: string, viewMailboxId: string | null) => `${threadId}:${viewMailboxId ?? ''}`;

/** Starts what opening a conversation row will ask for: the conversation and its newest message. */
export function prefetchConversation(threadId: string, viewMailboxId: string | null, newestMessageId: string): void {
  prefetchMessage(newestMessageId);
  const promise = api.getConversation(threadId, viewMailboxId);
  promise.catch(() => {});
  pending = { key: conversationKey(threadId, viewMailboxId), at: Date.now(), promise };
}

/** The conversation: the click's request if one is waiting for exactly this one, else a new one. */
export function loadConversation(threadId: string, viewMailboxId: string | null, signal: AbortSignal): Promise<ConversationDetail> {
  const hit = pending;
  pending = null;
  if (hit && hit.key === conversationKey(threadId, viewMailboxId) && Date.now() - hit.at < HANDOVER_MS) return hit.promise;
  return api.getConversation(threadId, viewMailboxId, signal);
}
