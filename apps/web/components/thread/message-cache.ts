'use client';

/**
 * Message bodies and conversations asked for before they are shown: a click on a row starts both
 * requests before React renders anything (the pane's own effects would start them a render later,
 * 30–50 ms on a busy machine), a hover or a press on a row starts them before the click lands, and
 * the list prefetches the first rows in view when the browser is idle (visible-prefetch.ts).
 *
 * A body is kept 20 s at most (flags come from the list anyway). A conversation is kept 10 s at
 * most, handed over once (the pane that opens it takes the answer; every later read asks the
 * server), and only to an opening of the same row state: its version (count, newest date, unread,
 * starred, labels) must be what the list shows now, so a change this tab made or heard of (the list
 * re-reads on every live update) is never hidden by an answer from before it.
 */
import { api, type ConversationDetail, type MessageDetail } from '@/lib/api';
import type { Row } from '@/lib/rows';
import { trackOpening } from './openings';

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
  trim(cache, MAX);
  return promise;
}

/** Whether a body is cached and fresh (the idle prefetch skips those). */
export function hasMessage(id: string): boolean {
  const hit = cache.get(id);
  return !!hit && Date.now() - hit.at < TTL_MS;
}

export function prefetchMessage(id: string): void {
  void loadMessage(id).catch(() => {});
}

const CONVERSATION_TTL_MS = 10_000;
const MAX_CONVERSATIONS = 20;
const conversations = new Map<string, { at: number; version: string; promise: Promise<ConversationDetail> }>();
const conversationKey = (threadId: string, viewMailboxId: string | null) => `${threadId}:${viewMailboxId ?? ''}`;

/** What a conversation row shows of its messages' state: a prefetched answer must match it. */
export function rowVersion(row: Row): string {
  return `${row.count}|${row.at}|${row.isUnread}|${row.isStarred}|${row.labelIds.join(',')}`;
}

function freshConversation(row: Row, viewMailboxId: string | null) {
  const hit = conversations.get(conversationKey(row.threadId, viewMailboxId));
  return hit && hit.version === rowVersion(row) && Date.now() - hit.at < CONVERSATION_TTL_MS ? hit : undefined;
}

/** Whether opening `row` now would find its conversation and newest body already asked for. */
export function isPrefetched(row: Row, viewMailboxId: string | null): boolean {
  return !!freshConversation(row, viewMailboxId) && hasMessage(row.messageId);
}

/**
 * Starts what opening a conversation row will ask for: the conversation and its newest message.
 * `isOpening`: the click itself (its requests hold back the live-update re-reads, openings.ts).
 */
export function prefetchConversation(row: Row, viewMailboxId: string | null, isOpening = false): Promise<unknown> {
  const body = loadMessage(row.messageId);
  const key = conversationKey(row.threadId, viewMailboxId);
  let conv = freshConversation(row, viewMailboxId)?.promise;
  if (!conv) {
    conv = api.getConversation(row.threadId, viewMailboxId);
    const entry = { at: Date.now(), version: rowVersion(row), promise: conv };
    // The pane opens the unread messages too, not only the newest: ask for their bodies as soon as
    // the conversation says which, not a render later.
    conv.then(
      (c) => {
        for (const m of c.messages) if (!m.seen) prefetchMessage(m.id);
      },
      () => {
        if (conversations.get(key) === entry) conversations.delete(key);
      },
    );
    conversations.set(key, entry);
    trim(conversations, MAX_CONVERSATIONS);
  }
  const both = Promise.all([body, conv]).catch(() => {});
  if (isOpening) trackOpening(both);
  return both;
}

/** The conversation: a prefetched answer for this row's state if one is waiting, else a new request. */
export function loadConversation(
  threadId: string,
  viewMailboxId: string | null,
  row: Row | undefined,
  signal: AbortSignal,
): Promise<ConversationDetail> {
  const hit = row ? freshConversation(row, viewMailboxId) : undefined;
  conversations.delete(conversationKey(threadId, viewMailboxId));
  return hit ? hit.promise : api.getConversation(threadId, viewMailboxId, signal);
}

function trim(map: Map<string, unknown>, max: number): void {
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}
