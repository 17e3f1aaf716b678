'use client';

import { useParams, useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import { mailboxLabel } from '@/lib/mailboxes';
import { useShortcuts } from '@/lib/use-shortcuts';
import { RefreshIcon } from '../icons';
import { useMail } from './mail-store';
import { MessageList } from './message-list';

/** Message list of one mailbox on the left, reading pane (the route's children) on the right. */
export function MailboxView({ mailboxId, children }: { mailboxId: string; children: ReactNode }) {
  const { showMailbox, mailboxes, list, refreshList } = useMail();
  const { messageId } = useParams<{ messageId?: string }>();
  const mailbox = mailboxes?.find((m) => m.id === mailboxId);

  useEffect(() => {
    showMailbox(mailboxId);
  }, [mailboxId, showMailbox]);

  useEffect(() => {
    if (mailbox) document.title = `${mailboxLabel(mailbox)}${mailbox.unread ? ` (${mailbox.unread})` : ''} · Correio`;
  }, [mailbox]);

  // j/k: next (older) / previous (newer) message, u: back to the list — as in Gmail.
  const router = useRouter();
  const step = (delta: number) => {
    const items = list?.mailboxId === mailboxId ? list.items : [];
    if (items.length === 0) return;
    const at = items.findIndex((m) => m.id === messageId);
    const next = items[at === -1 ? 0 : Math.min(items.length - 1, Math.max(0, at + delta))];
    if (next && next.id !== messageId) router.push(`/mail/${mailboxId}/${next.id}`);
  };
  useShortcuts({
    j: () => step(1),
    k: () => step(-1),
    u: () => messageId && router.push(`/mail/${mailboxId}`),
  });

  const isRefreshing = list?.mailboxId === mailboxId && list.status === 'loading' && list.items.length > 0;

  return (
    <div className={`mail-split${messageId ? ' has-message' : ''}`}>
      <section className="list-pane" aria-label="Messages">
        <header className="list-header">
          <h2 className="list-title" data-testid="list-title">
            {mailbox ? mailboxLabel(mailbox) : '\u00a0'}
          </h2>
          {mailbox && (
            <span className="list-count">
              {mailbox.total === 1 ? '1 message' : `${mailbox.total.toLocaleString()} messages`}
              {mailbox.unread > 0 && `, ${mailbox.unread.toLocaleString()} unread`}
            </span>
          )}
          <button
            type="button"
            className={`icon-btn${isRefreshing ? ' spinning' : ''}`}
            onClick={() => void refreshList()}
            title="Refresh"
            data-testid="refresh"
          >
            <RefreshIcon />
            <span className="sr-only">Refresh</span>
          </button>
        </header>
        <MessageList mailboxId={mailboxId} selectedId={messageId ?? null} />
      </section>
      <section className="reading-pane" aria-label="Reading pane">
        {children}
      </section>
    </div>
  );
}
