'use client';

/**
 * One message in the reading pane (conversation view off, search hits, Drafts, Sent): its toolbar
 * (Archive, Report spam, Delete, Move to, Labels, Mark as unread, Star), trust signals, body and
 * attachments. Actions go through the store's `act` (one bulk request, with Undo).
 */
import { followWithinView, goTo } from '@/lib/open-item';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type AttachmentView, type BulkAction, type MessageDetail } from '@/lib/api';
import { avatarHue, displayName, formatAddressList, formatFullDate, formatSize, initial } from '@/lib/format';
import { ArchiveIcon, BackIcon, DownloadIcon, ImageIcon, MailOpenIcon, MailUnreadIcon, PaperclipIcon, StarIcon, TrashIcon } from '../icons';
import { useMail } from './mail-store';
import { OpenDraft } from '../compose/open-draft';
import { ReplyActions } from '../compose/reply-actions';
import { AuthDetails, TrustBanner } from '../thread/trust-banner';
import { loadMessage } from '../thread/message-cache';
import { afterOpeningPainted } from '../thread/openings';
import { useTrust } from '../thread/use-trust';
import { DeliveryStatus } from './delivery-status';
import { LabelMenu } from './label-menu';
import { LabelChips } from './label-chips';
import { MessageBody } from './message-body';
import { MoveMenu } from './move-menu';

export function EmptyPane() {
  return (
    <div className="pane-message muted" data-testid="reading-empty">
      <MailOpenIcon width={48} height={48} className="pane-message-icon" />
      <p>Select a message to read it.</p>
    </div>
  );
}

/** The list this pane was opened from: the path without its last segment, the search kept. */
export function useListHref(): string {
  const pathname = usePathname();
  const q = useSearchParams().get('q');
  const base = pathname.replace(/\/c\/[^/]+$/, '').replace(/\/[^/]+$/, '');
  return q !== null ? `${base}?q=${encodeURIComponent(q)}` : base;
}

type Load =
  | { status: 'loading' }
  | { status: 'ready'; detail: MessageDetail; remote: boolean }
  | { status: 'error'; message: string; isNotFound: boolean };

export function ReadingPane({ messageId }: { messageId: string }) {
  const router = useRouter();
  const { list, mailboxes, act, reportError } = useMail();
  const listRef = useRef(list);
  listRef.current = list;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [remoteAllowedFor, setRemoteAllowedFor] = useState<string | null>(null);
  const allowRemote = remoteAllowedFor === messageId;
  const autoMarkedId = useRef<string | null>(null);
  const listHref = useListHref();

  // Load (and re-load with remote content) the message; opening an unread message marks it read.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new message or "Show images" may refetch
  useEffect(() => {
    const ctrl = new AbortController();
    setLoad((prev) => (prev.status === 'ready' && prev.detail.id === messageId ? prev : { status: 'loading' }));
    // Remote content blocked: the body may already be in the page's cache (prefetched from the list).
    const load = allowRemote ? api.getMessage(messageId, { remote: 'allow' }, ctrl.signal) : loadMessage(messageId);
    load.then(
      (detail) => {
        if (ctrl.signal.aborted) return;
        // Unread per the list's row when it is there (current: the list re-reads on every change),
        // not per the answer, which a prefetched body may hold from up to 20 s ago.
        const current = listRef.current?.rows.find((r) => r.kind === 'message' && r.messageId === messageId);
        const isUnread = current ? current.isUnread : !detail.seen;
        const shouldMarkRead = isUnread && autoMarkedId.current !== messageId;
        autoMarkedId.current = messageId;
        setLoad({ status: 'ready', detail: shouldMarkRead ? { ...detail, seen: true } : detail, remote: allowRemote });
        // After the body is painted (openings.ts): marking read re-renders the list.
        if (shouldMarkRead) void afterOpeningPainted().then(() => act({ messageIds: [detail.id] }, { type: 'markRead' }, { quiet: true }));
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.isUnauthorized) return reportError(err);
        if (allowRemote) {
          setRemoteAllowedFor(null);
          return reportError(err);
        }
        setLoad({
          status: 'error',
          isNotFound: err instanceof ApiError && err.isNotFound,
          message: err instanceof ApiError ? err.message : 'Could not load the message.',
        });
      },
    );
    return () => ctrl.abort();
  }, [messageId, allowRemote]);

  const row = list?.rows.find((r) => r.kind === 'message' && r.messageId === messageId);
  if (load.status === 'error') {
    return (
      <div className="pane-message" data-testid="reading-error">
        <p>{load.isNotFound ? 'This message no longer exists.' : load.message}</p>
      </div>
    );
  }
  if (load.status === 'loading' || load.detail.id !== messageId) {
    return (
      <article className="message" aria-busy="true">
        <div className="message-toolbar" />
        <header className="message-header">
          <h2 className="message-subject">{row ? row.subject || '(no subject)' : '\u00a0'}</h2>
          <div className="message-skeleton-lines">
            <span />
            <span />
          </div>
        </header>
      </article>
    );
  }

  const detail = load.detail;
  const seen = row ? !row.isUnread : detail.seen;
  const flagged = row ? row.isStarred : detail.flagged;
  const archive = mailboxes?.find((m) => m.specialUse === 'archive');
  const trash = mailboxes?.find((m) => m.specialUse === 'trash');
  const specialUse = mailboxes?.find((m) => m.id === detail.mailboxId)?.specialUse;
  const isDraft = detail.draft || specialUse === 'drafts';
  const setDetail = (patch: Partial<MessageDetail>) =>
    setLoad((prev) => (prev.status === 'ready' ? { ...prev, detail: { ...prev.detail, ...patch } } : prev));

  // Leave the message at once (not when the API answers): by then the user may be elsewhere.
  const leave = () => goTo(router, listHref);
  const run = (action: BulkAction, removes = false) => void act({ messageIds: [detail.id] }, action, removes ? { onRemoved: leave } : {});
  const onDelete = () => {
    if (trash?.id === detail.mailboxId && !window.confirm('Delete this message forever? This cannot be undone.')) return;
    run({ type: 'delete' }, true);
  };
  const onToggleSeen = () => {
    setDetail({ seen: !seen });
    run({ type: seen ? 'markUnread' : 'markRead' });
    // Gmail goes back to the list after "Mark as unread" (else opening it would mark it read again).
    if (seen) leave();
  };
  const onToggleFlag = () => {
    setDetail({ flagged: !flagged });
    run({ type: flagged ? 'unstar' : 'star' });
  };
  const labelIds = row?.labelIds ?? [];

  return (
    <article className="message" data-testid="reading-pane" data-message-id={detail.id}>
      <div className="message-toolbar" role="toolbar" aria-label="Message actions">
        <Link href={listHref} onClick={followWithinView} className="icon-btn back-btn" aria-label="Back to list" title="Back to list (u)">
          <BackIcon />
        </Link>
        {archive && archive.id !== detail.mailboxId && (
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
        <button type="button" className="tool-btn" onClick={onDelete} title="Delete (#)" data-testid="action-delete">
          <TrashIcon />
          <span>Delete</span>
        </button>
        <MoveMenu scope="pane" currentMailboxId={detail.mailboxId} onMove={(id) => run({ type: 'move', mailboxId: id }, true)} />
        <LabelMenu
          scope="pane"
          appliedIds={new Map(labelIds.map((id) => [id, 1]))}
          count={1}
          onApply={(labelId, add) => run(add ? { type: 'addLabel', labelId } : { type: 'removeLabel', labelId })}
        />
        <span className="toolbar-sep" />
        <button
          type="button"
          className="tool-btn"
          onClick={onToggleSeen}
          title={seen ? 'Mark as unread (Shift+U)' : 'Mark as read (Shift+I)'}
          data-testid="action-toggle-seen"
        >
          {seen ? <MailUnreadIcon /> : <MailOpenIcon />}
          <span>{seen ? 'Mark as unread' : 'Mark as read'}</span>
        </button>
        <button
          type="button"
          className={`tool-btn${flagged ? ' flag-on' : ''}`}
          onClick={onToggleFlag}
          aria-pressed={flagged}
          title="Star (s)"
          data-testid="action-toggle-flag"
        >
          <StarIcon filled={flagged} />
          <span>Star</span>
        </button>
        <span className="toolbar-spacer" />
        <a
          className="icon-btn"
          href={api.rawUrl(detail.id)}
          download={`message-${detail.id}.eml`}
          aria-label="Download message"
          title="Download .eml"
          data-testid="action-download"
        >
          <DownloadIcon />
        </a>
      </div>
      <MessageView
        detail={detail}
        load={load}
        isDraft={isDraft}
        isSent={specialUse === 'sent'}
        labelIds={labelIds}
        onShowImages={() => setRemoteAllowedFor(detail.id)}
        isLoadingImages={allowRemote}
      />
    </article>
  );
}

/** Header, trust, body and attachments of one message (also used, expanded, in a conversation). */
export function MessageView({
  detail,
  load,
  isDraft,
  isSent,
  labelIds,
  onShowImages,
  isLoadingImages,
  hasShortcuts = true,
  isSubjectShown = true,
}: {
  detail: MessageDetail;
  load: { remote: boolean };
  isDraft: boolean;
  isSent: boolean;
  labelIds: string[];
  onShowImages(): void;
  isLoadingImages: boolean;
  hasShortcuts?: boolean;
  isSubjectShown?: boolean;
}) {
  const { session } = useMail();
  const trust = useTrust(detail, session.account.address.split('@')[1] ?? '');
  const files = detail.attachments.filter((a) => !(detail.html !== null && a.inline && a.contentId));
  return (
    <>
      <header className="message-header">
        {isSubjectShown && (
          <h2 className="message-subject" data-testid="reading-subject">
            {detail.subject || '(no subject)'}
            <LabelChips labelIds={labelIds} />
          </h2>
        )}
        <TrustBanner trust={trust} />
        <div className="message-meta">
          <span className="avatar" style={{ backgroundColor: `hsl(${avatarHue(detail.from.address)} 55% 38%)` }} aria-hidden="true">
            {initial(detail.from)}
          </span>
          <div className="meta-lines">
            <div className="meta-from" data-testid="reading-from">
              <strong>{displayName(detail.from)}</strong>
              {detail.from.name.trim() && <span className="muted"> &lt;{detail.from.address}&gt;</span>}
            </div>
            {detail.to.length > 0 && <div className="meta-to muted">To: {formatAddressList(detail.to)}</div>}
            {detail.cc.length > 0 && <div className="meta-to muted">Cc: {formatAddressList(detail.cc)}</div>}
            <AuthDetails trust={trust} detail={detail} />
          </div>
          <time className="meta-date muted" dateTime={detail.sentAt ?? detail.receivedAt}>
            {formatFullDate(detail.sentAt ?? detail.receivedAt)}
          </time>
          {!isDraft && <ReplyActions detail={detail} hasShortcuts={hasShortcuts} />}
        </div>
        {files.length > 0 && <AttachmentList messageId={detail.id} attachments={files} />}
      </header>

      {isDraft && <OpenDraft messageId={detail.id} />}
      {isSent && <DeliveryStatus messageId={detail.id} />}

      {detail.hasRemoteContent && !load.remote && (
        <div className="remote-bar" data-testid="remote-content-bar">
          <ImageIcon width={18} height={18} />
          <span>Remote images are blocked to protect your privacy.</span>
          <button
            type="button"
            className="link-btn"
            onClick={onShowImages}
            disabled={isLoadingImages}
            aria-busy={isLoadingImages}
            data-testid="show-images"
          >
            {isLoadingImages ? 'Loading images…' : 'Show images'}
          </button>
        </div>
      )}

      <MessageBody key={`${detail.id}:${load.remote}`} detail={detail} allowRemoteImages={load.remote} />
    </>
  );
}

function AttachmentList({ messageId, attachments }: { messageId: string; attachments: AttachmentView[] }) {
  return (
    <ul className="attachments" aria-label="Attachments">
      {attachments.map((a) => (
        <li key={a.index}>
          <a
            className="attachment"
            href={api.attachmentUrl(messageId, a.index)}
            download={a.filename || `attachment-${a.index}`}
            data-testid="attachment-link"
          >
            <PaperclipIcon width={16} height={16} />
            <span className="attachment-name">{a.filename || `attachment-${a.index + 1}`}</span>
            <span className="attachment-size muted">{formatSize(a.size)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
