'use client';

/**
 * A conversation in the reading pane, Gmail's way: its messages stacked oldest first (a reply
 * filed in Sent included), the older ones collapsed to one line, the unread ones and the newest
 * open. Opening it marks its unread messages read. The toolbar acts on the whole conversation.
 */
import { followWithinView, goTo } from '@/lib/open-item';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type BulkAction, type ConversationDetail, type MessageDetail, type WebmailMessage } from '@/lib/api';
import { displayName, formatListDate } from '@/lib/format';
import { threadSubject } from '@/lib/rows';
import { ArchiveIcon, BackIcon, JunkIcon, MailUnreadIcon, StarIcon, TrashIcon } from '../icons';
import { LabelChips } from '../mail/label-chips';
import { LabelMenu } from '../mail/label-menu';
import { useMail } from '../mail/mail-store';
import { MoveMenu } from '../mail/move-menu';
import { MessageView, useListHref } from '../mail/reading-pane';
import { loadConversation, loadMessage, prefetchMessage } from './message-cache';
import { afterOpeningPainted } from './openings';
import { BlockSenderButton } from '../settings/rules/block-sender-button';

type Load = { status: 'loading' } | { status: 'ready'; conv: ConversationDetail } | { status: 'error'; message: string };

export function ConversationPane({ threadId, viewMailboxId }: { threadId: string; viewMailboxId: string | null }) {
  const router = useRouter();
  const { act, mailboxes, list, reportError } = useMail();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const listHref = useListHref();
  const markedFor = useRef<string | null>(null);
  const expandedFor = useRef<string | null>(null);
  // Live updates re-read the list; the conversation re-reads when its row changes (a new reply).
  const row = list?.rows.find((r) => r.kind === 'conversation' && r.threadId === threadId);
  const version = row ? `${row.count}:${row.at}` : '';

  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read on a new thread or a changed row only
  useEffect(() => {
    const ctrl = new AbortController();
    // The newest message is open in any case: fetch it alongside the conversation.
    if (row && expandedFor.current !== threadId) prefetchMessage(row.messageId);
    loadConversation(threadId, viewMailboxId, row, ctrl.signal).then(
      (conv) => {
        if (ctrl.signal.aborted) return;
        setLoad({ status: 'ready', conv });
        // Which messages start open is decided once per opening: a reply arriving (or sent) while
        // the conversation is read joins it collapsed, so nothing jumps under the reader's eyes.
        if (expandedFor.current !== threadId) {
          expandedFor.current = threadId;
          const open = new Set<string>();
          for (const m of conv.messages) if (!m.seen) open.add(m.id);
          const last = conv.messages[conv.messages.length - 1];
          if (last) open.add(last.id);
          setExpanded(open);
        }
        const unread = conv.messages.filter((m) => !m.seen).map((m) => m.id);
        if (unread.length > 0 && markedFor.current !== threadId) {
          markedFor.current = threadId;
          // After the body is in and painted: the mark-read request, its re-render of the list and
          // the re-reads it causes would otherwise compete with the opening (openings.ts).
          void afterOpeningPainted().then(() => act({ messageIds: unread }, { type: 'markRead' }, { quiet: true }));
        }
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.isUnauthorized) return reportError(err);
        setLoad({
          status: 'error',
          message: err instanceof ApiError && err.isNotFound ? 'This conversation no longer exists.' : 'Could not load the conversation.',
        });
      },
    );
    return () => ctrl.abort();
  }, [threadId, viewMailboxId, version]);

  if (load.status === 'error') {
    return (
      <div className="pane-message" data-testid="reading-error">
        <p>{load.message}</p>
      </div>
    );
  }
  if (load.status === 'loading') {
    return (
      <article className="message" aria-busy="true">
        <div className="message-toolbar" />
        <header className="message-header">
          <h2 className="message-subject">{row?.subject || '\u00a0'}</h2>
        </header>
      </article>
    );
  }

  const { conv } = load;
  const archive = mailboxes?.find((m) => m.specialUse === 'archive');
  const leave = () => goTo(router, listHref);
  const run = (action: BulkAction, removes = false) => void act({ conversationId: threadId }, action, removes ? { onRemoved: leave } : {});
  const isStarred = conv.messages.some((m) => m.flagged);
  const labelCounts = new Map<string, number>();
  for (const m of conv.messages) for (const id of m.labelIds) labelCounts.set(id, 1);
  const labelIds = [...labelCounts.keys()];
  const last = conv.messages[conv.messages.length - 1];

  return (
    <article className="message conversation" data-testid="conversation" aria-labelledby="conversation-subject">
      <div className="message-toolbar" role="toolbar" aria-label="Conversation actions">
        <Link href={listHref} onClick={followWithinView} className="icon-btn back-btn" aria-label="Back to list" title="Back to list (u)">
          <BackIcon />
        </Link>
        {archive && viewMailboxId !== archive.id && (
          <button
            type="button"
            className="tool-btn"
            onClick={() => run({ type: 'archive' }, true)}
            title="Archive (e)"
            data-testid="action-archive"
          >
            <ArchiveIcon />
            <span>Archive</span>
          </button>
        )}
        <button
          type="button"
          className="tool-btn"
          onClick={() => run({ type: 'junk' }, true)}
          title="Report spam"
          data-testid="action-junk"
        >
          <JunkIcon />
          <span>Report spam</span>
        </button>
        <button
          type="button"
          className="tool-btn"
          onClick={() => run({ type: 'delete' }, true)}
          title="Delete (#)"
          data-testid="action-delete"
        >
          <TrashIcon />
          <span>Delete</span>
        </button>
        <MoveMenu scope="pane" currentMailboxId={viewMailboxId} onMove={(id) => run({ type: 'move', mailboxId: id }, true)} />
        <LabelMenu
          scope="pane"
          appliedIds={labelCounts}
          count={1}
          onApply={(labelId, add) => run(add ? { type: 'addLabel', labelId } : { type: 'removeLabel', labelId })}
        />
        <span className="toolbar-sep" />
        <button
          type="button"
          className="tool-btn"
          onClick={() => {
            run({ type: 'markUnread' });
            leave();
          }}
          title="Mark as unread (Shift+U)"
          data-testid="action-toggle-seen"
        >
          <MailUnreadIcon />
          <span>Mark as unread</span>
        </button>
        <button
          type="button"
          className={`tool-btn${isStarred ? ' flag-on' : ''}`}
          aria-pressed={isStarred}
          onClick={() => run({ type: isStarred ? 'unstar' : 'star' })}
          title="Star (s)"
          data-testid="action-toggle-flag"
        >
          <StarIcon filled={isStarred} />
          <span>Star</span>
        </button>
        <BlockSenderButton address={last?.from.address} />
      </div>
      <div className="conversation-scroll">
        <header className="conversation-header">
          <h2 className="message-subject" id="conversation-subject" data-testid="reading-subject">
            {(conv.messages.length > 1 ? threadSubject(conv.subject) : conv.subject) || '(no subject)'}
            <LabelChips labelIds={labelIds} />
          </h2>
          <span className="muted">{conv.messages.length === 1 ? '1 message' : `${conv.messages.length} messages`}</span>
        </header>
        <ol className="conversation-messages" aria-label="Messages in this conversation">
          {conv.messages.map((m) => (
            <li
              key={m.id}
              className="conversation-item"
              data-testid="conversation-message"
              data-message-id={m.id}
              data-expanded={expanded.has(m.id)}
            >
              {expanded.has(m.id) ? (
                <ExpandedMessage
                  message={m}
                  isLast={m.id === last?.id}
                  isSent={mailboxes?.find((b) => b.id === m.mailboxId)?.specialUse === 'sent'}
                  onCollapse={() => setExpanded((s) => new Set([...s].filter((id) => id !== m.id)))}
                />
              ) : (
                <button
                  type="button"
                  className="conversation-collapsed"
                  aria-expanded={false}
                  onClick={() => setExpanded((s) => new Set(s).add(m.id))}
                  data-testid="conversation-collapsed"
                >
                  <strong className="cc-from">{displayName(m.from)}</strong>
                  <span className="cc-snippet">{m.snippet}</span>
                  <time className="cc-date" dateTime={m.receivedAt}>
                    {formatListDate(m.receivedAt)}
                  </time>
                </button>
              )}
            </li>
          ))}
        </ol>
      </div>
    </article>
  );
}

function ExpandedMessage({
  message,
  isLast,
  isSent,
  onCollapse,
}: {
  message: WebmailMessage;
  isLast: boolean;
  isSent: boolean;
  onCollapse(): void;
}) {
  const [detail, setDetail] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [remote, setRemote] = useState(false);
  useEffect(() => {
    const ctrl = new AbortController();
    const load = remote ? api.getMessage(message.id, { remote: 'allow' }, ctrl.signal) : loadMessage(message.id);
    load.then(
      (d) => !ctrl.signal.aborted && setDetail(d),
      (err: unknown) => !ctrl.signal.aborted && setError(err instanceof ApiError ? err.message : 'Could not load the message.'),
    );
    return () => ctrl.abort();
  }, [message.id, remote]);
  if (error) return <p className="pane-message">{error}</p>;
  return (
    <div className="conversation-open">
      <button
        type="button"
        className="cc-collapse"
        aria-expanded={true}
        onClick={onCollapse}
        aria-label={`Collapse message from ${displayName(message.from)}`}
      >
        <span aria-hidden="true">▾</span>
      </button>
      {detail ? (
        <MessageView
          detail={detail}
          load={{ remote }}
          isDraft={detail.draft}
          isSent={isSent}
          labelIds={message.labelIds}
          onShowImages={() => setRemote(true)}
          isLoadingImages={remote && detail.hasRemoteContent}
          hasShortcuts={isLast}
          isSubjectShown={false}
        />
      ) : (
        <div className="message-skeleton-lines" aria-busy="true">
          <span />
          <span />
        </div>
      )}
    </div>
  );
}
