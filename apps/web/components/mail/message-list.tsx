'use client';

/**
 * The virtualized list of the open view (@tanstack/react-virtual): only the rows in and near the
 * viewport are in the DOM, so 100,000 messages scroll like 50. Rows have a fixed height (CSS
 * --row-h) so positions are computed, never measured. Scrolling near the end asks for the next
 * page by cursor (infinite scroll); "Load older messages" stays at the end for keyboard users.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { type DragEvent, memo, type MouseEvent, useEffect, useRef } from 'react';
import type { LabelView } from '@/lib/api';
import { displayName, formatFullDate, formatListDate } from '@/lib/format';
import { highlightSegments, segmentsFromRanges } from '@/lib/highlight';
import type { Row } from '@/lib/rows';
import { PaperclipIcon, StarIcon } from '../icons';
import { isPlainClick } from '@/lib/open-item';
import { prefetchMessage } from '../thread/message-cache';
import { hoverRow, leaveRow, schedulePrefetch } from '../thread/visible-prefetch';
import type { RowList } from './use-row-list';

export const ROW_HEIGHT = 76;
/** Ask for the next page when this many rows or fewer are left below the viewport. */
const PREFETCH_ROWS = 25;
export const DRAG_TYPE = 'application/x-correio-rows';

interface Props {
  list: RowList;
  openKey: string | null;
  cursorKey: string | null;
  selected: ReadonlySet<string>;
  labels: LabelView[] | null;
  searchTerms: string[];
  hrefOf(row: Row): string;
  onToggleSelect(row: Row, withShift: boolean): void;
  onToggleStar(row: Row): void;
  /** A plain click on the row: open it in the reading pane. */
  onOpen(row: Row): void;
  onLoadMore(): void;
  onRetry(): void;
  /** Keys dragged along with `row` (the selection when the row is in it). */
  dragKeys(row: Row): string[];
  scrollToKey: string | null;
}

export function MessageList(props: Props) {
  const { list, onLoadMore } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  const viewMailboxId = list.view.kind === 'mailbox' ? list.view.mailboxId : null;

  // The rows in view (not the overscan), prefetched once the list stands still (visible-prefetch.ts).
  const first = virtualizer.range?.startIndex ?? 0;
  const last = virtualizer.range?.endIndex ?? -1;
  const isScrolling = virtualizer.isScrolling;
  const { rows } = list;
  const { openKey } = props;
  useEffect(() => {
    if (isScrolling || last < first) return;
    return schedulePrefetch(rows.slice(first, last + 1), viewMailboxId, openKey);
  }, [rows, first, last, isScrolling, viewMailboxId, openKey]);

  useEffect(() => {
    if (list.nextCursor && !list.isLoadingMore && lastIndex >= list.rows.length - PREFETCH_ROWS) onLoadMore();
  }, [lastIndex, list.rows.length, list.nextCursor, list.isLoadingMore, onLoadMore]);

  const scrollIndex = props.scrollToKey ? list.rows.findIndex((r) => r.key === props.scrollToKey) : -1;
  useEffect(() => {
    if (scrollIndex >= 0) virtualizer.scrollToIndex(scrollIndex, { align: 'auto' });
  }, [scrollIndex, virtualizer]);

  if (list.status === 'loading' && list.rows.length === 0) {
    return (
      <ul className="message-list" aria-busy="true" aria-label="Loading messages">
        {[0, 1, 2, 3, 4, 5, 6].map((i) => (
          <li key={i} className="message-skeleton">
            <span />
            <span />
            <span />
          </li>
        ))}
      </ul>
    );
  }
  if (list.status === 'error' && list.rows.length === 0) {
    return (
      <div className="list-empty" role="alert">
        <p>{list.error}</p>
        <button type="button" className="btn" onClick={props.onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (list.rows.length === 0) {
    return (
      <div className="list-empty" data-testid="list-empty">
        <p className="list-empty-title">{list.view.kind === 'search' ? 'No messages matched your search' : 'Nothing here'}</p>
        {list.view.kind !== 'search' && <p className="muted">No messages in this folder.</p>}
      </div>
    );
  }

  return (
    <div className="message-scroll" ref={scrollRef} data-testid="message-scroll">
      <ul
        className="message-list virtual"
        data-testid="message-list"
        data-count={list.rows.length}
        aria-label="Messages"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((vi) => {
          const row = list.rows[vi.index];
          if (!row) return null;
          return (
            <MessageRow
              key={row.key}
              row={row}
              top={vi.start}
              index={vi.index}
              setSize={list.nextCursor ? -1 : list.rows.length}
              href={props.hrefOf(row)}
              isOpen={row.key === props.openKey}
              isCursor={row.key === props.cursorKey}
              isSelected={props.selected.has(row.key)}
              labels={props.labels}
              searchTerms={props.searchTerms}
              onToggleSelect={props.onToggleSelect}
              onToggleStar={props.onToggleStar}
              onOpen={props.onOpen}
              dragKeys={props.dragKeys}
              viewMailboxId={viewMailboxId}
            />
          );
        })}
      </ul>
      {list.nextCursor && (
        <div className="load-more">
          <button type="button" className="btn" onClick={onLoadMore} disabled={list.isLoadingMore} data-testid="load-more">
            {list.isLoadingMore ? 'Loading…' : 'Load older messages'}
          </button>
        </div>
      )}
    </div>
  );
}

interface RowProps {
  row: Row;
  top: number;
  index: number;
  setSize: number;
  href: string;
  isOpen: boolean;
  isCursor: boolean;
  isSelected: boolean;
  labels: LabelView[] | null;
  searchTerms: string[];
  onToggleSelect(row: Row, withShift: boolean): void;
  onToggleStar(row: Row): void;
  onOpen(row: Row): void;
  dragKeys(row: Row): string[];
  viewMailboxId: string | null;
}

const MessageRow = memo(function MessageRow(p: RowProps) {
  const { row: r } = p;
  const cls = [
    'message-row',
    r.isUnread ? 'unread' : 'seen',
    p.isOpen ? 'selected' : '',
    p.isSelected ? 'checked' : '',
    p.isCursor ? 'cursor' : '',
    r.isStarred ? 'flagged' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const onDragStart = (e: DragEvent<HTMLLIElement>) => {
    e.dataTransfer.setData(DRAG_TYPE, JSON.stringify(p.dragKeys(r)));
    e.dataTransfer.effectAllowed = 'move';
  };
  const onCheck = (e: MouseEvent<HTMLLabelElement>) => {
    // The click decides with its shift key (a change event doesn't carry it); the box follows the state.
    e.preventDefault();
    p.onToggleSelect(r, e.shiftKey);
  };
  const rowLabels = p.labels ? r.labelIds.map((id) => p.labels?.find((l) => l.id === id)).filter((l): l is LabelView => !!l) : [];
  const sender =
    r.kind === 'conversation' && r.participants.length > 1
      ? r.participants.map((a) => displayName(a).split(' ')[0]).join(', ')
      : displayName(r.from);
  return (
    <li
      className={cls}
      style={{ transform: `translateY(${p.top}px)` }}
      aria-posinset={p.index + 1}
      aria-setsize={p.setSize}
      draggable
      onDragStart={onDragStart}
      data-testid="message-row"
      data-message-id={r.messageId}
      data-row-key={r.key}
      data-seen={!r.isUnread}
      data-flagged={r.isStarred}
    >
      {/* The label is the 44 px hit area around the box; it decides the toggle (with its shift key). */}
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: Space on the checkbox inside fires this same click */}
      <label className="row-check" onClick={onCheck}>
        <input
          type="checkbox"
          className="row-check-box"
          aria-label="Select"
          checked={p.isSelected}
          onChange={() => {}}
          data-testid="row-select"
        />
      </label>
      <Link
        href={p.href}
        // A plain click opens in place (no route payload needed); Next's viewport prefetch asked the
        // web server for every visible row's payload on each list paint, on the cores the list needs.
        prefetch={false}
        className="row-link"
        aria-current={p.isOpen ? 'true' : undefined}
        data-row-link={r.key}
        // A press comes ~100 ms before the click: start fetching the body then.
        onPointerDown={() => r.kind === 'conversation' && prefetchMessage(r.messageId)}
        onPointerEnter={(e) => e.pointerType === 'mouse' && hoverRow(r, p.viewMailboxId)}
        onPointerLeave={leaveRow}
        onClick={(e) => {
          // Opened in place, without the router's server round trip (lib/open-item.ts).
          if (!isPlainClick(e)) return;
          e.preventDefault();
          p.onOpen(r);
        }}
      >
        <span className="row-line1">
          <span className="row-from" data-testid="message-from">
            {r.highlights?.from ? <Marked text={displayName(r.from)} ranges={r.highlights.from} /> : sender}
          </span>
          {r.count > 1 && (
            <span className="row-count" title={`${r.count} messages`}>
              {r.count}
            </span>
          )}
          {r.hasAttachments && <PaperclipIcon className="row-clip" width={14} height={14} aria-label="Has attachments" />}
          <time className="row-date" dateTime={r.at} title={formatFullDate(r.at)}>
            {formatListDate(r.at)}
          </time>
        </span>
        <span className="row-subject" data-testid="message-subject">
          {r.highlights?.subject ? (
            <Marked text={r.subject || '(no subject)'} ranges={r.highlights.subject} />
          ) : (
            <Terms text={r.subject || '(no subject)'} terms={p.searchTerms} />
          )}
        </span>
        <span className="row-snippet">
          {rowLabels.map((l) => (
            <span key={l.id} className="row-label" style={labelStyle(l.colour)} data-testid="row-label">
              {l.name}
            </span>
          ))}
          {r.highlights?.snippet ? (
            <Marked text={r.snippet} ranges={r.highlights.snippet} />
          ) : (
            <Terms text={r.snippet} terms={p.searchTerms} />
          )}
        </span>
        {r.isUnread && <span className="sr-only">Unread</span>}
      </Link>
      <button
        type="button"
        className={`row-star${r.isStarred ? ' on' : ''}`}
        onClick={() => p.onToggleStar(r)}
        aria-label={r.isStarred ? 'Starred' : 'Star'}
        aria-pressed={r.isStarred}
        data-testid="row-flag"
      >
        <StarIcon filled={r.isStarred} width={18} height={18} />
      </button>
    </li>
  );
});

export function labelStyle(colour: string | null): { backgroundColor?: string; color?: string } {
  if (!colour) return {};
  // Dark text on light colours and the other way round (WCAG contrast by relative luminance).
  const n = Number.parseInt(colour.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { backgroundColor: colour, color: lum > 0.18 ? '#1f2328' : '#ffffff' };
}

function Marked({ text, ranges }: { text: string; ranges: { start: number; end: number }[] }) {
  return (
    <>
      {segmentsFromRanges(text, ranges).map((s, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond position
        s.isHit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
      )}
    </>
  );
}

function Terms({ text, terms }: { text: string; terms: string[] }) {
  if (terms.length === 0) return <>{text}</>;
  return (
    <>
      {highlightSegments(text, terms).map((s, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity beyond position
        s.isHit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
      )}
    </>
  );
}
