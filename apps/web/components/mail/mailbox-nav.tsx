'use client';

import Link from 'next/link';
import { useParams, usePathname } from 'next/navigation';
import type { ComponentType, SVGProps } from 'react';
import type { MailboxView, SpecialUse } from '@/lib/api';
import { mailboxLabel, showsUnreadCount } from '@/lib/mailboxes';
import { ArchiveIcon, ClockIcon, DraftIcon, FolderIcon, InboxIcon, JunkIcon, SentIcon, TrashIcon } from '../icons';
import { ComposeButton } from '../compose/compose-button';
import { useMail } from './mail-store';

const ICONS: Record<SpecialUse, ComponentType<SVGProps<SVGSVGElement>>> = {
  inbox: InboxIcon,
  drafts: DraftIcon,
  sent: SentIcon,
  archive: ArchiveIcon,
  junk: JunkIcon,
  trash: TrashIcon,
};

/** onNavigate: a mailbox was chosen (even the current one) — the drawer closes on it. */
export function MailboxNav({ onNavigate }: { onNavigate?(): void }) {
  const { mailboxes, mailboxesError } = useMail();
  const params = useParams<{ mailboxId?: string }>();
  const current = params.mailboxId;
  const isScheduled = usePathname() === '/mail/scheduled';

  return (
    <nav className="sidebar" aria-label="Mailboxes">
      <ComposeButton />
      {mailboxesError && !mailboxes && <p className="sidebar-note">{mailboxesError}</p>}
      {!mailboxes && !mailboxesError && (
        <ul className="mailbox-list" aria-busy="true">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <li key={i} className="mailbox-skeleton" />
          ))}
        </ul>
      )}
      {mailboxes && (
        <ul className="mailbox-list" data-testid="mailbox-list">
          {mailboxes.map((mb) => (
            <MailboxItem key={mb.id} mailbox={mb} isActive={mb.id === current} onNavigate={onNavigate} />
          ))}
          <li>
            <Link
              href="/mail/scheduled"
              className={`mailbox-item${isScheduled ? ' active' : ''}`}
              aria-current={isScheduled ? 'page' : undefined}
              data-testid="scheduled-link"
              onClick={onNavigate}
            >
              <ClockIcon className="mailbox-icon" />
              <span className="mailbox-name">Scheduled</span>
            </Link>
          </li>
        </ul>
      )}
    </nav>
  );
}

function MailboxItem({ mailbox, isActive, onNavigate }: { mailbox: MailboxView; isActive: boolean; onNavigate?(): void }) {
  const Icon = mailbox.specialUse ? ICONS[mailbox.specialUse] : FolderIcon;
  const label = mailboxLabel(mailbox);
  const hasUnread = mailbox.unread > 0 && showsUnreadCount(mailbox);
  return (
    <li>
      <Link
        href={`/mail/${mailbox.id}`}
        className={`mailbox-item${isActive ? ' active' : ''}${hasUnread ? ' has-unread' : ''}`}
        aria-current={isActive ? 'page' : undefined}
        data-testid="mailbox-item"
        data-mailbox-name={label}
        data-special-use={mailbox.specialUse ?? ''}
        data-unread={mailbox.unread}
        title={mailbox.name}
        onClick={onNavigate}
      >
        <Icon className="mailbox-icon" />
        <span className="mailbox-name">{label}</span>
        {hasUnread && (
          <span className="mailbox-count" data-testid="mailbox-unread">
            {mailbox.unread > 9999 ? '9999+' : mailbox.unread}
          </span>
        )}
      </Link>
    </li>
  );
}
