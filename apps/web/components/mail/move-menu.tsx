'use client';

import { mailboxLabel } from '@/lib/mailboxes';
import { MoveIcon } from '../icons';
import { useMail } from './mail-store';
import { type MenuScope, useMenuSignal } from './menu-signal';
import { usePopover } from './use-popover';

/** "Move to" button with a popover listing the other folders (`v` opens it). */
export function MoveMenu({
  currentMailboxId,
  onMove,
  scope,
}: {
  currentMailboxId: string | null;
  onMove(mailboxId: string): void;
  scope: MenuScope;
}) {
  const { mailboxes } = useMail();
  const pop = usePopover();
  useMenuSignal('move', scope, pop.open);
  const targets = (mailboxes ?? []).filter((m) => m.id !== currentMailboxId && m.specialUse !== 'drafts');

  return (
    <div className="menu-root" ref={pop.rootRef}>
      <button
        ref={pop.buttonRef}
        type="button"
        className="tool-btn"
        aria-haspopup="menu"
        aria-expanded={pop.isOpen}
        aria-label="Move to"
        title="Move to (v)"
        onClick={pop.toggle}
        disabled={targets.length === 0}
        data-testid="action-move"
      >
        <MoveIcon />
        <span aria-hidden="true">Move to</span>
      </button>
      {pop.isOpen && (
        <div className="menu" role="menu" aria-label="Move to" data-testid="move-menu">
          {targets.map((m) => (
            <button
              key={m.id}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                pop.close();
                onMove(m.id);
              }}
              data-testid="move-target"
              data-mailbox-name={mailboxLabel(m)}
            >
              {mailboxLabel(m)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
