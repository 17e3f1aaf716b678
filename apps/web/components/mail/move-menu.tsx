'use client';

import { useEffect, useRef, useState } from 'react';
import { mailboxLabel } from '@/lib/mailboxes';
import { MoveIcon } from '../icons';
import { useMail } from './mail-store';

/** "Move to" button with a popover listing the other mailboxes. */
export function MoveMenu({ currentMailboxId, onMove }: { currentMailboxId: string; onMove(mailboxId: string): void }) {
  const { mailboxes } = useMail();
  const [isOpen, setIsOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    const onPointer = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setIsOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen]);

  const targets = (mailboxes ?? []).filter((m) => m.id !== currentMailboxId);

  return (
    <div className="menu-root" ref={rootRef}>
      <button
        type="button"
        className="tool-btn"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        onClick={() => setIsOpen((v) => !v)}
        disabled={targets.length === 0}
        data-testid="action-move"
      >
        <MoveIcon />
        <span>Move to</span>
      </button>
      {isOpen && (
        <div className="menu" role="menu" data-testid="move-menu">
          {targets.map((m) => (
            <button
              key={m.id}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                setIsOpen(false);
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
