'use client';

/**
 * The sidebar: Compose, the folders (nested by "/", unread counts), Starred and Scheduled, then the
 * labels with their colours and unread counts. Folders and labels are drop targets for rows
 * dragged from the list, and each custom one has an options menu (rename, colour, delete).
 */
import Link from 'next/link';
import { useParams, usePathname } from 'next/navigation';
import { type ComponentType, type MouseEvent, type SVGProps, useState } from 'react';
import { followWithinView } from '@/lib/open-item';
import type { LabelView, MailboxView, SpecialUse } from '@/lib/api';
import { mailboxLabel, showsUnreadCount } from '@/lib/mailboxes';
import { ComposeButton } from '../compose/compose-button';
import {
  ArchiveIcon,
  ClockIcon,
  DraftIcon,
  FolderIcon,
  InboxIcon,
  JunkIcon,
  LabelIcon,
  MoreIcon,
  PlusIcon,
  SentIcon,
  StarIcon,
  TrashIcon,
} from '../icons';
import { FolderDialog, type FolderDialogState, leaf } from '../sidebar/folder-dialogs';
import { LabelDialog, type LabelDialogState } from '../sidebar/label-dialogs';
import { useDropTarget } from '../sidebar/use-drop-target';
import { usePopover } from './use-popover';
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
export function MailboxNav({ onNavigate: onChosen }: { onNavigate?(): void }) {
  // The view on screen with an item open: back to its list in place (lib/open-item.ts).
  const onNavigate = (e: MouseEvent<HTMLAnchorElement>) => {
    followWithinView(e);
    onChosen?.();
  };
  const { mailboxes, mailboxesError, labels } = useMail();
  const params = useParams<{ mailboxId?: string }>();
  const current = params.mailboxId;
  const pathname = usePathname();
  const [folderDialog, setFolderDialog] = useState<FolderDialogState | null>(null);
  const [labelDialog, setLabelDialog] = useState<LabelDialogState | null>(null);

  return (
    <nav className="sidebar" aria-label="Mailboxes">
      <ComposeButton />
      {mailboxesError && !mailboxes && <p className="sidebar-note">{mailboxesError}</p>}
      {!mailboxes && !mailboxesError && (
        <ul className="mailbox-list" aria-busy="true" aria-label="Loading folders">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <li key={i} className="mailbox-skeleton" />
          ))}
        </ul>
      )}
      {mailboxes && (
        <ul className="mailbox-list" data-testid="mailbox-list">
          {mailboxes.map((mb) => (
            <MailboxItem key={mb.id} mailbox={mb} isActive={mb.id === current} onNavigate={onNavigate} onOptions={setFolderDialog} />
          ))}
          <li>
            <Link
              href="/mail/starred"
              className={`mailbox-item${current === 'starred' ? ' active' : ''}`}
              aria-current={current === 'starred' ? 'page' : undefined}
              onClick={onNavigate}
            >
              <StarIcon className="mailbox-icon" />
              <span className="mailbox-name">Starred</span>
            </Link>
          </li>
          <li>
            <Link
              href="/mail/scheduled"
              className={`mailbox-item${pathname === '/mail/scheduled' ? ' active' : ''}`}
              aria-current={pathname === '/mail/scheduled' ? 'page' : undefined}
              data-testid="scheduled-link"
              onClick={onNavigate}
            >
              <ClockIcon className="mailbox-icon" />
              <span className="mailbox-name">Scheduled</span>
            </Link>
          </li>
          <li>
            <button
              type="button"
              className="mailbox-item sidebar-add"
              onClick={() => setFolderDialog({ kind: 'create', parent: null })}
              data-testid="new-folder"
            >
              <PlusIcon className="mailbox-icon" />
              <span className="mailbox-name">New folder</span>
            </button>
          </li>
        </ul>
      )}
      {labels && (
        <section className="label-section" aria-labelledby="labels-heading">
          <div className="sidebar-heading">
            <h2 id="labels-heading">Labels</h2>
            <button
              type="button"
              className="icon-btn"
              aria-label="Create new label"
              title="Create new label"
              onClick={() => setLabelDialog({ kind: 'create' })}
              data-testid="new-label"
            >
              <PlusIcon />
            </button>
          </div>
          <ul className="mailbox-list" data-testid="label-list">
            {labels.map((l) => (
              <LabelItem key={l.id} label={l} isActive={current === `label-${l.id}`} onNavigate={onNavigate} onOptions={setLabelDialog} />
            ))}
          </ul>
        </section>
      )}
      {folderDialog && <FolderDialog state={folderDialog} onClose={() => setFolderDialog(null)} />}
      {labelDialog && <LabelDialog state={labelDialog} onClose={() => setLabelDialog(null)} />}
    </nav>
  );
}

function MailboxItem({
  mailbox,
  isActive,
  onNavigate,
  onOptions,
}: {
  mailbox: MailboxView;
  isActive: boolean;
  onNavigate?(e: MouseEvent<HTMLAnchorElement>): void;
  onOptions(s: FolderDialogState): void;
}) {
  const Icon = mailbox.specialUse ? ICONS[mailbox.specialUse] : FolderIcon;
  const label = mailbox.specialUse ? mailboxLabel(mailbox) : leaf(mailbox.name);
  const depth = mailbox.specialUse ? 0 : mailbox.name.split('/').length - 1;
  const hasUnread = mailbox.unread > 0 && showsUnreadCount(mailbox);
  const drop = useDropTarget(() => ({ type: 'move', mailboxId: mailbox.id }));
  return (
    <li className={`nav-row${drop.isOver ? ' drop-over' : ''}`} {...drop.props} style={depth ? { paddingLeft: depth * 16 } : undefined}>
      <Link
        href={`/mail/${mailbox.id}`}
        className={`mailbox-item${isActive ? ' active' : ''}${hasUnread ? ' has-unread' : ''}`}
        aria-current={isActive ? 'page' : undefined}
        data-testid="mailbox-item"
        data-mailbox-name={mailbox.specialUse ? label : mailbox.name}
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
            <span className="sr-only"> unread</span>
          </span>
        )}
      </Link>
      {!mailbox.specialUse && (
        <ItemOptions name={`Folder options for ${mailbox.name}`}>
          {(close) => (
            <>
              <MenuButton
                onClick={() => {
                  close();
                  onOptions({ kind: 'rename', mailbox });
                }}
              >
                Rename
              </MenuButton>
              <MenuButton
                onClick={() => {
                  close();
                  onOptions({ kind: 'create', parent: mailbox });
                }}
              >
                Add subfolder
              </MenuButton>
              <MenuButton
                onClick={() => {
                  close();
                  onOptions({ kind: 'delete', mailbox });
                }}
              >
                Delete
              </MenuButton>
            </>
          )}
        </ItemOptions>
      )}
    </li>
  );
}

function LabelItem({
  label,
  isActive,
  onNavigate,
  onOptions,
}: {
  label: LabelView;
  isActive: boolean;
  onNavigate?(e: MouseEvent<HTMLAnchorElement>): void;
  onOptions(s: LabelDialogState): void;
}) {
  const drop = useDropTarget(() => ({ type: 'addLabel', labelId: label.id }));
  return (
    <li className={`nav-row${drop.isOver ? ' drop-over' : ''}`} {...drop.props}>
      <Link
        href={`/mail/label-${label.id}`}
        className={`mailbox-item${isActive ? ' active' : ''}${label.unread > 0 ? ' has-unread' : ''}`}
        aria-current={isActive ? 'page' : undefined}
        data-testid="label-item"
        data-label-name={label.name}
        data-unread={label.unread}
        onClick={onNavigate}
      >
        <LabelIcon className="mailbox-icon" style={{ color: label.colour ?? undefined }} fill={label.colour ?? 'none'} />
        <span className="mailbox-name">{label.name}</span>
        {label.unread > 0 && (
          <span className="mailbox-count" data-testid="label-unread">
            {label.unread}
            <span className="sr-only"> unread</span>
          </span>
        )}
      </Link>
      <ItemOptions name={`Label options for ${label.name}`}>
        {(close) => (
          <>
            <MenuButton
              onClick={() => {
                close();
                onOptions({ kind: 'edit', label });
              }}
            >
              Edit
            </MenuButton>
            <MenuButton
              onClick={() => {
                close();
                onOptions({ kind: 'delete', label });
              }}
            >
              Remove label
            </MenuButton>
          </>
        )}
      </ItemOptions>
    </li>
  );
}

function ItemOptions({ name, children }: { name: string; children(close: () => void): React.ReactNode }) {
  const pop = usePopover();
  return (
    <div className="menu-root nav-options" ref={pop.rootRef}>
      <button
        ref={pop.buttonRef}
        type="button"
        className="icon-btn"
        aria-label={name}
        aria-haspopup="menu"
        aria-expanded={pop.isOpen}
        onClick={pop.toggle}
      >
        <MoreIcon />
      </button>
      {pop.isOpen && (
        <div className="menu menu-right" role="menu" aria-label={name}>
          {children(pop.close)}
        </div>
      )}
    </div>
  );
}

function MenuButton({ onClick, children }: { onClick(): void; children: React.ReactNode }) {
  return (
    <button type="button" role="menuitem" className="menu-item" onClick={onClick}>
      {children}
    </button>
  );
}
