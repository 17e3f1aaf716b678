'use client';

/**
 * The list's toolbar: the "Select" checkbox (all in view / none), and with rows selected Gmail's
 * bulk actions — Archive, Report spam, Delete, Mark as read/unread, Star, Move to, Labels — plus the
 * "Select all N matching" offer when every loaded row is ticked and the view has more.
 */
import type { BulkAction } from '@/lib/api';
import type { Row } from '@/lib/rows';
import { ArchiveIcon, JunkIcon, MailOpenIcon, MailUnreadIcon, RefreshIcon, StarIcon, TrashIcon } from '../icons';
import { LabelMenu } from './label-menu';
import { MoveMenu } from './move-menu';

interface Props {
  state: 'none' | 'some' | 'all';
  selectedRows: Row[];
  allMatching: boolean;
  /** How many the view holds on the server (a folder's total), when known. */
  matchingTotal: number | null;
  canSelectAllMatching: boolean;
  viewMailboxId: string | null;
  isRefreshing: boolean;
  isJunkView: boolean;
  onSelectAll(): void;
  onSelectNone(): void;
  onSelectAllMatching(): void;
  onAction(action: BulkAction): void;
  onRefresh(): void;
}

export function ListToolbar(p: Props) {
  const n = p.selectedRows.length;
  const applied = new Map<string, number>();
  for (const r of p.selectedRows) for (const id of r.labelIds) applied.set(id, (applied.get(id) ?? 0) + 1);
  const anyUnread = p.selectedRows.some((r) => r.isUnread);
  const allStarred = n > 0 && p.selectedRows.every((r) => r.isStarred);
  return (
    <>
      <div className="list-toolbar" role="toolbar" aria-label="List actions">
        <label className="select-all-hit">
          <input
            type="checkbox"
            className="select-all"
            aria-label="Select"
            title="Select all in view"
            checked={p.state === 'all'}
            ref={(el) => {
              if (el) el.indeterminate = p.state === 'some';
            }}
            onChange={() => (p.state === 'none' ? p.onSelectAll() : p.onSelectNone())}
            data-testid="select-all"
          />
        </label>
        {n === 0 ? (
          <button
            type="button"
            className={`icon-btn${p.isRefreshing ? ' spinning' : ''}`}
            onClick={p.onRefresh}
            aria-label="Refresh"
            title="Refresh"
            data-testid="refresh"
          >
            <RefreshIcon />
          </button>
        ) : (
          <>
            {p.viewMailboxId !== null && (
              <ToolButton label="Archive" shortcut="e" onClick={() => p.onAction({ type: 'archive' })} testId="bulk-archive">
                <ArchiveIcon />
              </ToolButton>
            )}
            {p.isJunkView ? (
              <ToolButton label="Not spam" onClick={() => p.onAction({ type: 'notJunk' })} testId="bulk-notjunk">
                <JunkIcon />
              </ToolButton>
            ) : (
              <ToolButton label="Report spam" onClick={() => p.onAction({ type: 'junk' })} testId="bulk-junk">
                <JunkIcon />
              </ToolButton>
            )}
            <ToolButton label="Delete" shortcut="#" onClick={() => p.onAction({ type: 'delete' })} testId="bulk-delete">
              <TrashIcon />
            </ToolButton>
            {anyUnread ? (
              <ToolButton label="Mark as read" shortcut="Shift+I" onClick={() => p.onAction({ type: 'markRead' })} testId="bulk-read">
                <MailOpenIcon />
              </ToolButton>
            ) : (
              <ToolButton label="Mark as unread" shortcut="Shift+U" onClick={() => p.onAction({ type: 'markUnread' })} testId="bulk-unread">
                <MailUnreadIcon />
              </ToolButton>
            )}
            <ToolButton
              label={allStarred ? 'Remove star' : 'Star'}
              shortcut="s"
              onClick={() => p.onAction({ type: allStarred ? 'unstar' : 'star' })}
              testId="bulk-star"
            >
              <StarIcon filled={allStarred} />
            </ToolButton>
            <MoveMenu scope="list" currentMailboxId={p.viewMailboxId} onMove={(mailboxId) => p.onAction({ type: 'move', mailboxId })} />
            <LabelMenu
              scope="list"
              appliedIds={applied}
              count={n}
              onApply={(labelId, add) => p.onAction(add ? { type: 'addLabel', labelId } : { type: 'removeLabel', labelId })}
            />
            <span className="list-selected-count" data-testid="selected-count">
              {p.allMatching
                ? p.matchingTotal !== null
                  ? `All ${p.matchingTotal.toLocaleString('en-US')} selected`
                  : 'All matching selected'
                : `${n.toLocaleString('en-US')} selected`}
            </span>
          </>
        )}
      </div>
      {p.state === 'all' && p.canSelectAllMatching && (
        <div className="select-banner" role="status">
          {p.allMatching ? (
            <>
              {p.matchingTotal !== null
                ? `All ${p.matchingTotal.toLocaleString('en-US')} conversations in this view are selected.`
                : 'All messages matching this search are selected.'}{' '}
              <button type="button" className="link-btn" onClick={p.onSelectNone}>
                Clear selection
              </button>
            </>
          ) : (
            <>
              All {n.toLocaleString('en-US')} loaded are selected.{' '}
              <button type="button" className="link-btn" onClick={p.onSelectAllMatching} data-testid="select-all-matching">
                Select all {p.matchingTotal !== null ? `${p.matchingTotal.toLocaleString('en-US')} ` : ''}matching
              </button>
            </>
          )}
        </div>
      )}
    </>
  );
}

function ToolButton({
  label,
  shortcut,
  onClick,
  testId,
  children,
}: {
  label: string;
  shortcut?: string;
  onClick(): void;
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className="icon-btn tool-icon"
      onClick={onClick}
      aria-label={label}
      title={shortcut ? `${label} (${shortcut})` : label}
      data-testid={testId}
    >
      {children}
    </button>
  );
}
