'use client';

/**
 * The open view's rows, loaded by cursor (never an offset): the first page when the view opens,
 * the next one when the list is scrolled near its end, the first page again on a live update
 * (merged so the place is kept). Conversations or single messages per the setting; search and
 * Starred are always messages (hits are messages).
 */
import { useCallback, useRef, useState } from 'react';
import { api } from '@/lib/api';
import { appendPage, conversationRow, mergeFirstPage, messageRow, type Row } from '@/lib/rows';
import { type View, viewKey } from '@/lib/views';

export const PAGE_SIZE = 50;

export interface RowList {
  key: string;
  view: View;
  /** The folder when the view is one (compose and the title use it). */
  mailboxId: string | null;
  /** Listed message by message even with conversation view on (Drafts). */
  isFlat: boolean;
  rows: Row[];
  nextCursor: string | null;
  pages: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  isLoadingMore: boolean;
}

interface Page {
  rows: Row[];
  nextCursor: string | null;
}

async function fetchPage(view: View, isConversations: boolean, cursor: string | null, isFlat: boolean): Promise<Page> {
  const opts = { limit: PAGE_SIZE, cursor };
  if (view.kind === 'search') {
    const res = await api.search(view.q, opts);
    return {
      rows: res.items.map((h) => ({
        ...messageRow(h),
        highlights: {
          subject: h.highlights.subject,
          snippet: h.highlights.snippet,
          from: h.highlights.fromName.length ? h.highlights.fromName : h.highlights.fromAddress,
        },
      })),
      nextCursor: res.nextCursor,
    };
  }
  if (isConversations && !isFlat) {
    const res = await api.listConversations(view.kind === 'mailbox' ? { mailboxId: view.mailboxId } : { labelId: view.labelId }, opts);
    const mailboxId = view.kind === 'mailbox' ? view.mailboxId : null;
    return { rows: res.items.map((c) => conversationRow(c, mailboxId)), nextCursor: res.nextCursor };
  }
  if (view.kind === 'label') {
    // Labels have no flat list of their own: the conversations of the label, one row each.
    const res = await api.listConversations({ labelId: view.labelId }, opts);
    return { rows: res.items.map((c) => conversationRow(c, null)), nextCursor: res.nextCursor };
  }
  const res = await api.listPage(view.mailboxId, opts);
  return { rows: res.items.map(messageRow), nextCursor: res.nextCursor };
}

export function useRowList(isConversations: boolean, onError: (err: unknown) => string, isFlatView: (view: View) => boolean) {
  const [list, setList] = useState<RowList | null>(null);
  const listRef = useRef<RowList | null>(null);
  listRef.current = list;
  const seq = useRef(0);
  const convRef = useRef(isConversations);
  convRef.current = isConversations;
  /**
   * Actions on rows still waiting for the server, and a count of every action begun. A re-read
   * that was asked for before an action finished (a live update, the previous action's own
   * re-read) may carry rows from before it — an archived row coming back for a moment, or for
   * good when nothing re-reads after it. Such a page is dropped; the action's own re-read, asked
   * for once the server has answered, is the one that settles the rows.
   */
  const pendingEdits = useRef(0);
  const editEpoch = useRef(0);
  /**
   * A re-read was dropped for a pending action. When the last action ends, the list is re-read once
   * unless a re-read has begun by then (an action re-reads after its answer; the opening's quiet
   * mark-read leaves it to the live stream, whose own re-read may have been the one dropped).
   */
  const isStale = useRef(false);

  const load = useCallback(
    async (view: View, keep: boolean) => {
      const key = viewKey(view);
      const mine = ++seq.current;
      const mailboxId = view.kind === 'mailbox' ? view.mailboxId : null;
      const isFlat = isFlatView(view);
      const epoch = editEpoch.current;
      setList((prev) =>
        keep && prev?.key === key
          ? { ...prev, status: prev.status === 'error' ? 'loading' : prev.status }
          : { key, view, mailboxId, isFlat, rows: [], nextCursor: null, pages: 0, status: 'loading', error: null, isLoadingMore: false },
      );
      try {
        const page = await fetchPage(view, convRef.current, null, isFlat);
        if (mine !== seq.current) return;
        if (keep && (pendingEdits.current > 0 || epoch !== editEpoch.current)) {
          isStale.current = true;
          return;
        }
        isStale.current = false;
        setList((prev) => {
          const isSame = keep && prev?.key === key;
          const rows = isSame && prev ? mergeFirstPage(prev.rows, prev.pages, page.rows, page.nextCursor !== null) : page.rows;
          const keepCursor = isSame && prev && prev.pages > 1 && page.nextCursor !== null;
          return {
            key,
            view,
            mailboxId,
            isFlat,
            rows,
            nextCursor: keepCursor && prev ? prev.nextCursor : page.nextCursor,
            pages: keepCursor && prev ? prev.pages : 1,
            status: 'ready',
            error: null,
            isLoadingMore: false,
          };
        });
      } catch (err) {
        if (mine !== seq.current) return;
        const message = onError(err);
        setList((prev) => (prev ? { ...prev, status: 'error', error: message } : prev));
      }
    },
    [onError, isFlatView],
  );

  const showView = useCallback(
    (view: View, force = false) => {
      if (!force && listRef.current?.key === viewKey(view)) return;
      void load(view, false);
    },
    [load],
  );

  const refresh = useCallback(async () => {
    const cur = listRef.current;
    if (cur) await load(cur.view, true);
  }, [load]);

  const loadMore = useCallback(async () => {
    const cur = listRef.current;
    if (!cur?.nextCursor || cur.isLoadingMore) return;
    const mine = seq.current;
    setList({ ...cur, isLoadingMore: true });
    try {
      const page = await fetchPage(cur.view, convRef.current, cur.nextCursor, cur.isFlat);
      if (mine !== seq.current) return;
      setList((prev) =>
        prev && prev.key === cur.key
          ? { ...prev, rows: appendPage(prev.rows, page.rows), nextCursor: page.nextCursor, pages: prev.pages + 1, isLoadingMore: false }
          : prev,
      );
    } catch (err) {
      onError(err);
      setList((prev) => (prev ? { ...prev, isLoadingMore: false } : prev));
    }
  }, [onError]);

  /** Optimistic edits: the next refresh (after the server answers) settles them. */
  const editRows = useCallback((edit: (rows: Row[]) => Row[]) => {
    setList((prev) => (prev ? { ...prev, rows: edit(prev.rows) } : prev));
  }, []);

  /** An action on rows begins (before its optimistic edit); call the returned function when the server has answered. */
  const beginEdit = useCallback(() => {
    pendingEdits.current += 1;
    editEpoch.current += 1;
    let isEnded = false;
    return () => {
      if (isEnded) return;
      isEnded = true;
      pendingEdits.current -= 1;
      if (pendingEdits.current > 0 || !isStale.current) return;
      const at = seq.current;
      setTimeout(() => {
        if (seq.current === at && pendingEdits.current === 0) void refresh();
      }, 0);
    };
  }, [refresh]);

  return { list, listRef, showView, refresh, loadMore, editRows, beginEdit };
}
