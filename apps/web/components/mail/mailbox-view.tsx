'use client';

/**
 * A view (folder, label, Starred, search) as Gmail shows it: the list with its toolbar on the left,
 * the reading pane (a conversation or a message, chosen from the URL: reading-slot.tsx) on the right. Owns the
 * selection and the keyboard cursor, and binds the list's shortcuts (j/k, o/Enter, u, x, e, #, s,
 * Shift+I/U, l, v); an action goes to the selection, else the open item, else the cursor row.
 */
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import type { BulkAction } from '@/lib/api';
import { termsOfQuery } from '@/lib/highlight';
import { tabTitle } from '@/lib/live-events';
import { mailboxLabel } from '@/lib/mailboxes';
import type { Row } from '@/lib/rows';
import {
  EMPTY_SELECTION,
  headerState,
  pruneSelection,
  type Selection,
  selectAllInView,
  selectAllMatching,
  selectedInOrder,
  toggleRow,
} from '@/lib/selection';
import { useShortcuts } from '@/lib/use-shortcuts';
import { goTo, openItem } from '@/lib/open-item';
import { itemPath, openItemOf, parseView, type View, viewKey, viewPath, viewQuery } from '@/lib/views';
import { type ActTarget, useMail } from './mail-store';
import { openMenu } from './menu-signal';
import { ListToolbar } from './list-toolbar';
import { MessageList } from './message-list';
import { ReadingSlot } from './reading-slot';
import { prefetchConversation } from '../thread/message-cache';

const NO_TERMS: string[] = [];

export function MailboxView({ segment, children }: { segment: string; children: ReactNode }) {
  const q = useSearchParams().get('q');
  const view = useMemo(() => parseView(segment, q), [segment, q]);
  if (!view) {
    return <div className="pane-message">There is no such folder.</div>;
  }
  return <ListView view={view}>{children}</ListView>;
}

function ListView({ view, children }: { view: View; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const { showView, list, mailboxes, labels, act, loadMore, refreshList, setConversations, isConversations } = useMail();
  // The open item comes from the path (not the route's params): rows open by pushState (open-item.ts).
  const item = useMemo(() => openItemOf(pathname), [pathname]);
  const openThreadId = item?.kind === 'conversation' ? item.threadId : null;
  const key = viewKey(view);
  // A folder's kind (Drafts lists messages, not conversations) is known once the folders are.
  const isReady = view.kind !== 'mailbox' || mailboxes !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the view is identified by its key
  useEffect(() => {
    if (isReady) showView(view);
  }, [key, showView, isReady]);

  const isThis = list?.key === key;
  const rows = isThis ? list.rows : [];
  const order = useMemo(() => rows.map((r) => r.key), [rows]);
  const openKey = item ? (item.kind === 'conversation' ? `c${item.threadId}` : item.messageId) : null;
  const openRow = openKey ? rows.find((r) => r.key === openKey || (r.kind === 'conversation' && r.messageId === openKey)) : undefined;

  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [cursorKey, setCursorKey] = useState<string | null>(null);
  const [scrollToKey, setScrollToKey] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view starts with nothing selected
  useEffect(() => {
    setSelection(EMPTY_SELECTION);
    setCursorKey(null);
  }, [key]);
  useEffect(() => setSelection((s) => pruneSelection(s, order)), [order]);

  const mailbox = view.kind === 'mailbox' ? mailboxes?.find((m) => m.id === view.mailboxId) : undefined;
  const label = view.kind === 'label' ? labels?.find((l) => l.id === view.labelId) : undefined;
  const title =
    view.kind === 'mailbox' ? (mailbox ? mailboxLabel(mailbox) : '') : view.kind === 'label' ? (label?.name ?? 'Label') : view.name;
  const inbox = mailboxes?.find((m) => m.specialUse === 'inbox');
  const unread = mailbox?.unread ?? label?.unread ?? inbox?.unread ?? 0;
  useEffect(() => {
    if (title) document.title = tabTitle(view.kind === 'search' && view.name === 'Search' ? `Search results` : title, unread);
  }, [title, unread, view]);

  const selectedRows = useMemo(() => {
    const keys = selectedInOrder(selection, order);
    return keys.map((k) => rows.find((r) => r.key === k)).filter((r): r is Row => !!r);
  }, [selection, order, rows]);
  const matchingTotal = view.kind === 'mailbox' ? (mailbox?.total ?? null) : view.kind === 'label' ? (label?.total ?? null) : null;
  const query = viewQuery(view, mailbox?.name ?? null, label?.name ?? null);
  const hasMore = isThis && list.nextCursor !== null;

  const hrefOf = useCallback((row: Row) => itemPath(view, row), [view]);
  const viewMailboxId = view.kind === 'mailbox' ? view.mailboxId : null;
  /** Opens a row: its requests start now, before React renders the pane (message-cache.ts). */
  const open = useCallback(
    (row: Row) => {
      if (row.kind === 'conversation') void prefetchConversation(row, viewMailboxId, true);
      openItem(itemPath(view, row));
    },
    [view, viewMailboxId],
  );
  // One array per query: a new [] on every render would re-render every row (MessageRow is memo).
  const searchTerms = useMemo(() => (view.kind === 'search' ? termsOfQuery(view.q) : NO_TERMS), [view]);
  const goToList = useCallback(() => goTo(router, viewPath(view)), [router, view]);

  /** Runs an action on the selection, else on the open item, else on the cursor row. */
  const actOn = useCallback(
    (action: BulkAction) => {
      let target: ActTarget | null = null;
      let isOpenTarget = false;
      if (selection.ids.size > 0) {
        target =
          selection.allMatching && query
            ? { query, mailboxId: view.kind === 'mailbox' ? view.mailboxId : undefined, count: matchingTotal }
            : { rows: selectedRows };
      } else if (openKey) {
        isOpenTarget = true;
        target = openRow ? { rows: [openRow] } : openThreadId ? { conversationId: openThreadId } : { messageIds: [openKey] };
      } else {
        const row = rows.find((r) => r.key === cursorKey);
        if (row) target = { rows: [row] };
      }
      if (!target) return;
      setSelection(EMPTY_SELECTION);
      void act(target, action, { onRemoved: isOpenTarget ? goToList : undefined });
    },
    [selection, query, matchingTotal, view, selectedRows, openKey, openRow, openThreadId, rows, cursorKey, act, goToList],
  );

  const onToggleSelect = useCallback(
    (row: Row, withShift: boolean) => setSelection((s) => toggleRow(s, order, row.key, withShift)),
    [order],
  );
  const onToggleStar = useCallback((row: Row) => void act({ rows: [row] }, { type: row.isStarred ? 'unstar' : 'star' }), [act]);
  const dragKeys = useCallback(
    (row: Row) => (selection.ids.has(row.key) ? selectedInOrder(selection, order) : [row.key]),
    [selection, order],
  );

  // --- keyboard ------------------------------------------------------------------------------
  const moveCursor = (delta: number) => {
    if (rows.length === 0) return;
    const fromKey = openRow?.key ?? cursorKey;
    const at = fromKey ? order.indexOf(fromKey) : -1;
    const next = rows[at === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta))];
    if (!next) return;
    setCursorKey(next.key);
    setScrollToKey(next.key);
    if (openKey) {
      if (next.key !== openRow?.key) open(next);
      return;
    }
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-row-link="${CSS.escape(next.key)}"]`)?.focus());
  };
  const openCursor = () => {
    const focused = document.activeElement?.closest<HTMLElement>('[data-row-key]')?.dataset.rowKey;
    const row = rows.find((r) => r.key === (focused ?? cursorKey)) ?? rows[0];
    if (row) open(row);
  };
  const openRowOrFocused = (): Row | undefined => {
    const focused = document.activeElement?.closest<HTMLElement>('[data-row-key]')?.dataset.rowKey;
    return rows.find((r) => r.key === (focused ?? cursorKey)) ?? openRow;
  };
  const firstSelectedOrTarget = (): Row | undefined => selectedRows[0] ?? openRow ?? rows.find((r) => r.key === cursorKey);
  useShortcuts({
    j: () => moveCursor(1),
    k: () => moveCursor(-1),
    o: openCursor,
    Enter: openCursor,
    // From the address, not this render's openKey: a row opened by pushState a moment ago may not
    // have re-rendered the view yet when the next key arrives (o then u at once).
    u: () => openItemOf(window.location.pathname) && goToList(),
    x: () => {
      const row = openRowOrFocused();
      if (row) setSelection((s) => toggleRow(s, order, row.key));
    },
    e: () => actOn({ type: 'archive' }),
    '#': () => actOn({ type: 'delete' }),
    s: () => {
      const row = firstSelectedOrTarget();
      actOn({ type: row?.isStarred ? 'unstar' : 'star' });
    },
    'shift+i': () => actOn({ type: 'markRead' }),
    'shift+u': () => actOn({ type: 'markUnread' }),
    l: () => (selection.ids.size > 0 ? openMenu('labels', 'list') : openKey && openMenu('labels', 'pane')),
    v: () => (selection.ids.size > 0 ? openMenu('move', 'list') : openKey && openMenu('move', 'pane')),
  });

  const isRefreshing = isThis && list.status === 'loading' && list.rows.length > 0;
  const state = headerState(selection, order);

  return (
    <div className={`mail-split${openKey ? ' has-message' : ''}`}>
      <section className="list-pane" aria-labelledby="list-title">
        <header className="list-header">
          <h1 className="list-title" id="list-title" data-testid="list-title">
            {title || '\u00a0'}
          </h1>
          {mailbox && (
            <span className="list-count">
              {mailbox.total === 1 ? '1 message' : `${mailbox.total.toLocaleString('en-US')} messages`}
              {mailbox.unread > 0 && `, ${mailbox.unread.toLocaleString('en-US')} unread`}
            </span>
          )}
          {view.kind === 'search' && view.name === 'Search' && <span className="list-count">for “{view.q}”</span>}
          {view.kind !== 'search' && (
            <button
              type="button"
              className="chip-btn"
              aria-pressed={isConversations}
              onClick={() => setConversations(!isConversations)}
              title="Group messages into conversations"
              data-testid="conversation-toggle"
            >
              Conversations
            </button>
          )}
        </header>
        <ListToolbar
          state={state}
          selectedRows={selectedRows}
          allMatching={selection.allMatching}
          matchingTotal={matchingTotal}
          canSelectAllMatching={query !== null && (hasMore || (matchingTotal !== null && matchingTotal > rows.length))}
          viewMailboxId={view.kind === 'mailbox' ? view.mailboxId : null}
          isJunkView={mailbox?.specialUse === 'junk'}
          isRefreshing={isRefreshing}
          onSelectAll={() => setSelection(selectAllInView(order))}
          onSelectNone={() => setSelection(EMPTY_SELECTION)}
          onSelectAllMatching={() => setSelection(selectAllMatching(order))}
          onAction={actOn}
          onRefresh={() => void refreshList()}
        />
        {isThis ? (
          <MessageList
            list={list}
            openKey={openRow?.key ?? openKey}
            cursorKey={cursorKey}
            selected={selection.ids}
            labels={labels}
            searchTerms={searchTerms}
            hrefOf={hrefOf}
            onToggleSelect={onToggleSelect}
            onToggleStar={onToggleStar}
            onOpen={open}
            onLoadMore={() => void loadMore()}
            onRetry={() => void refreshList()}
            dragKeys={dragKeys}
            scrollToKey={scrollToKey}
          />
        ) : (
          <ul className="message-list" aria-busy="true" aria-label="Loading messages">
            {[0, 1, 2, 3, 4].map((i) => (
              <li key={i} className="message-skeleton">
                <span />
                <span />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="reading-pane" aria-label="Reading pane">
        <ReadingSlot item={item} viewMailboxId={viewMailboxId} />
        {children}
      </section>
    </div>
  );
}
