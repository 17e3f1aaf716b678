'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type AttachmentView, type MessageDetail } from '@/lib/api';
import { avatarHue, displayName, formatAddressList, formatFullDate, formatSize, initial } from '@/lib/format';
import { ArchiveIcon, BackIcon, DownloadIcon, ImageIcon, MailOpenIcon, MailUnreadIcon, PaperclipIcon, StarIcon, TrashIcon } from '../icons';
import { type ShortcutMap, useShortcuts } from '@/lib/use-shortcuts';
import { useMail } from './mail-store';
import { OpenDraft } from '../compose/open-draft';
import { ReplyActions } from '../compose/reply-actions';
import { DeliveryStatus } from './delivery-status';
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

/**
 * `remote` says which rendering of the body `detail` holds: the API blocks remote content unless
 * asked (?remote=allow), so the body shown is always the one fetched for it.
 */
type Load =
  | { status: 'loading' }
  | { status: 'ready'; detail: MessageDetail; remote: boolean }
  | { status: 'error'; message: string; isNotFound: boolean };

export function ReadingPane({ messageId }: { messageId: string }) {
  const router = useRouter();
  const mail = useMail();
  const { list, mailboxes, setSeen, setFlagged, moveMessage, deleteMessage, reportError } = mail;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  // Remote content is allowed per message: opening another message blocks it again.
  const [remoteAllowedFor, setRemoteAllowedFor] = useState<string | null>(null);
  const allowRemote = remoteAllowedFor === messageId;
  const autoMarkedId = useRef<string | null>(null);

  // Load (and re-load with remote content) the message; opening an unread message marks it read.
  // "Show images" keeps the blocked body (and its bar) on screen until the allowed one has arrived:
  // the frame is then made once for it, never given a second srcdoc while it loads the first.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new message or "Show images" may refetch; setSeen/reportError change identity with the route
  useEffect(() => {
    const ctrl = new AbortController();
    setLoad((prev) => (prev.status === 'ready' && prev.detail.id === messageId ? prev : { status: 'loading' }));
    api.getMessage(messageId, { remote: allowRemote ? 'allow' : 'block' }, ctrl.signal).then(
      (detail) => {
        if (ctrl.signal.aborted) return;
        // Only the first open marks it read: not a re-load for "Show images" after "Mark unread".
        const shouldMarkRead = !detail.seen && autoMarkedId.current !== messageId;
        autoMarkedId.current = messageId;
        setLoad({ status: 'ready', detail: shouldMarkRead ? { ...detail, seen: true } : detail, remote: allowRemote });
        if (shouldMarkRead) void setSeen(detail, true);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.isUnauthorized) return reportError(err);
        if (allowRemote) {
          // Only the images failed to come: keep reading the message as it was, and say so.
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

  const row = list?.items.find((m) => m.id === messageId);
  const actions = useRef<ShortcutMap>({});
  // e archive, # delete, s flag, Shift+U unread — bound once; the handlers below fill them in.
  useShortcuts({
    e: () => actions.current.e?.(),
    '#': () => actions.current['#']?.(),
    s: () => actions.current.s?.(),
    'shift+u': () => actions.current['shift+u']?.(),
  });

  actions.current = {};
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
          <h1 className="message-subject">{row ? row.subject || '(no subject)' : '\u00a0'}</h1>
          <div className="message-skeleton-lines">
            <span />
            <span />
          </div>
        </header>
      </article>
    );
  }

  const detail = load.detail;
  // The list row is the live copy of flags (toggled from the list or here); fall back to the detail.
  const seen = row ? row.seen : detail.seen;
  const flagged = row ? row.flagged : detail.flagged;
  const ref = { id: detail.id, mailboxId: detail.mailboxId, seen, flagged };
  const mailboxHref = `/mail/${detail.mailboxId}`;
  const archive = mailboxes?.find((m) => m.specialUse === 'archive');
  const specialUse = mailboxes?.find((m) => m.id === detail.mailboxId)?.specialUse;
  const isDraft = detail.draft || specialUse === 'drafts';
  const setDetail = (patch: Partial<MessageDetail>) =>
    setLoad((prev) => (prev.status === 'ready' ? { ...prev, detail: { ...prev.detail, ...patch } } : prev));

  // Leave the message at once (not when the API answers): by then the user may be elsewhere.
  const leave = () => router.push(mailboxHref);
  const onMove = (target: string) => moveMessage(ref, target, leave);
  const onDelete = () => deleteMessage(ref, leave);
  const onToggleSeen = () => {
    setDetail({ seen: !seen });
    void setSeen(ref, !seen);
  };
  const onToggleFlag = () => {
    setDetail({ flagged: !flagged });
    void setFlagged(ref, !flagged);
  };
  actions.current = {
    e: archive && archive.id !== detail.mailboxId ? () => void onMove(archive.id) : undefined,
    '#': () => void onDelete(),
    s: onToggleFlag,
    'shift+u': () => seen && onToggleSeen(),
  };

  // Inline parts of an HTML body are shown in it (as data: images); list the rest as files.
  const files = detail.attachments.filter((a) => !(detail.html !== null && a.inline && a.contentId));

  return (
    <article className="message" data-testid="reading-pane" data-message-id={detail.id}>
      <div className="message-toolbar" role="toolbar" aria-label="Message actions">
        <Link href={mailboxHref} className="icon-btn back-btn" title="Back to list">
          <BackIcon />
          <span className="sr-only">Back to list</span>
        </Link>
        {archive && archive.id !== detail.mailboxId && (
          <button type="button" className="tool-btn" onClick={() => void onMove(archive.id)} data-testid="action-archive">
            <ArchiveIcon />
            <span>Archive</span>
          </button>
        )}
        <button type="button" className="tool-btn" onClick={() => void onDelete()} data-testid="action-delete">
          <TrashIcon />
          <span>Delete</span>
        </button>
        <MoveMenu currentMailboxId={detail.mailboxId} onMove={(id) => void onMove(id)} />
        <span className="toolbar-sep" />
        <button type="button" className="tool-btn" onClick={onToggleSeen} data-testid="action-toggle-seen">
          {seen ? <MailUnreadIcon /> : <MailOpenIcon />}
          <span>{seen ? 'Mark unread' : 'Mark read'}</span>
        </button>
        <button
          type="button"
          className={`tool-btn${flagged ? ' flag-on' : ''}`}
          onClick={onToggleFlag}
          aria-pressed={flagged}
          data-testid="action-toggle-flag"
        >
          <StarIcon filled={flagged} />
          <span>{flagged ? 'Unflag' : 'Flag'}</span>
        </button>
        <span className="toolbar-spacer" />
        <a
          className="icon-btn"
          href={api.rawUrl(detail.id)}
          download={`message-${detail.id}.eml`}
          title="Download .eml"
          data-testid="action-download"
        >
          <DownloadIcon />
          <span className="sr-only">Download .eml</span>
        </a>
      </div>

      <header className="message-header">
        <h1 className="message-subject" data-testid="reading-subject">
          {detail.subject || '(no subject)'}
        </h1>
        <div className="message-meta">
          <span className="avatar" style={{ backgroundColor: `hsl(${avatarHue(detail.from.address)} 55% 45%)` }} aria-hidden="true">
            {initial(detail.from)}
          </span>
          <div className="meta-lines">
            <div className="meta-from" data-testid="reading-from">
              <strong>{displayName(detail.from)}</strong>
              {detail.from.name.trim() && <span className="muted"> &lt;{detail.from.address}&gt;</span>}
            </div>
            {detail.to.length > 0 && <div className="meta-to muted">To: {formatAddressList(detail.to)}</div>}
            {detail.cc.length > 0 && <div className="meta-to muted">Cc: {formatAddressList(detail.cc)}</div>}
          </div>
          <time className="meta-date muted" dateTime={detail.sentAt ?? detail.receivedAt}>
            {formatFullDate(detail.sentAt ?? detail.receivedAt)}
          </time>
          {!isDraft && <ReplyActions detail={detail} />}
        </div>
        {files.length > 0 && <AttachmentList messageId={detail.id} attachments={files} />}
      </header>

      {isDraft && <OpenDraft messageId={detail.id} />}
      {specialUse === 'sent' && <DeliveryStatus messageId={detail.id} />}

      {detail.hasRemoteContent && !load.remote && (
        <div className="remote-bar" data-testid="remote-content-bar">
          <ImageIcon width={18} height={18} />
          <span>Remote images are blocked to protect your privacy.</span>
          <button
            type="button"
            className="link-btn"
            onClick={() => setRemoteAllowedFor(detail.id)}
            disabled={allowRemote}
            aria-busy={allowRemote}
            data-testid="show-images"
          >
            {allowRemote ? 'Loading images…' : 'Show images'}
          </button>
        </div>
      )}

      <MessageBody key={`${detail.id}:${load.remote}`} detail={detail} allowRemoteImages={load.remote} />
    </article>
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
