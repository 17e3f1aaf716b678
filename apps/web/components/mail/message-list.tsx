'use client';

import Link from 'next/link';
import { memo } from 'react';
import type { MessageSummary } from '@/lib/api';
import { displayName, formatFullDate, formatListDate } from '@/lib/format';
import { PaperclipIcon, StarIcon } from '../icons';
import { useMail } from './mail-store';

export function MessageList({ mailboxId, selectedId }: { mailboxId: string; selectedId: string | null }) {
  const { list, loadMore, setFlagged, refreshList } = useMail();
  const isThisMailbox = list?.mailboxId === mailboxId;

  if (!list || !isThisMailbox || (list.status === 'loading' && list.items.length === 0)) {
    return (
      <ul className="message-list" aria-busy="true">
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
  if (list.status === 'error' && list.items.length === 0) {
    return (
      <div className="list-empty">
        <p>{list.error}</p>
        <button type="button" className="btn" onClick={() => void refreshList()}>
          Try again
        </button>
      </div>
    );
  }
  if (list.items.length === 0) {
    return (
      <div className="list-empty" data-testid="list-empty">
        <p className="list-empty-title">Nothing here</p>
        <p className="muted">No messages in this folder.</p>
      </div>
    );
  }

  return (
    <div className="message-scroll">
      <ul className="message-list" data-testid="message-list">
        {list.items.map((m) => (
          <MessageRow
            key={m.id}
            message={m}
            href={`/mail/${mailboxId}/${m.id}`}
            isSelected={m.id === selectedId}
            onToggleFlag={setFlagged}
          />
        ))}
      </ul>
      {list.nextCursor && (
        <div className="load-more">
          <button type="button" className="btn" onClick={() => void loadMore()} disabled={list.isLoadingMore} data-testid="load-more">
            {list.isLoadingMore ? 'Loading…' : 'Load older messages'}
          </button>
        </div>
      )}
    </div>
  );
}

interface RowProps {
  message: MessageSummary;
  href: string;
  isSelected: boolean;
  onToggleFlag(msg: MessageSummary, flagged: boolean): Promise<void>;
}

const MessageRow = memo(function MessageRow({ message: m, href, isSelected, onToggleFlag }: RowProps) {
  const cls = ['message-row', m.seen ? 'seen' : 'unread', isSelected ? 'selected' : '', m.flagged ? 'flagged' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={cls} data-testid="message-row" data-message-id={m.id} data-seen={m.seen} data-flagged={m.flagged}>
      <Link href={href} className="row-link" aria-current={isSelected ? 'true' : undefined}>
        <span className="row-line1">
          <span className="row-from" data-testid="message-from">
            {displayName(m.from)}
          </span>
          {m.hasAttachments && <PaperclipIcon className="row-clip" width={14} height={14} aria-label="Has attachments" />}
          <time className="row-date" dateTime={m.receivedAt} title={formatFullDate(m.receivedAt)}>
            {formatListDate(m.receivedAt)}
          </time>
        </span>
        <span className="row-subject" data-testid="message-subject">
          {m.subject || '(no subject)'}
        </span>
        <span className="row-snippet">{m.snippet}</span>
        {!m.seen && <span className="sr-only">Unread</span>}
      </Link>
      <button
        type="button"
        className={`row-star${m.flagged ? ' on' : ''}`}
        onClick={() => void onToggleFlag(m, !m.flagged)}
        title={m.flagged ? 'Unflag' : 'Flag'}
        aria-pressed={m.flagged}
        data-testid="row-flag"
      >
        <StarIcon filled={m.flagged} width={16} height={16} />
        <span className="sr-only">{m.flagged ? 'Unflag' : 'Flag'}</span>
      </button>
    </li>
  );
});
