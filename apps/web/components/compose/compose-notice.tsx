'use client';

import { useEffect } from 'react';

export interface Notice {
  id: number;
  text: string;
  kind?: 'info' | 'error';
  timeoutMs?: number;
  action?: { label: string; run(): void };
}

/** Compose's own toast ("Message sent" with Undo, "Sending undone", "Send scheduled for …"). */
export function ComposeNotice({ notice, onDismiss }: { notice: Notice | null; onDismiss(): void }) {
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(onDismiss, notice.timeoutMs ?? (notice.kind === 'error' ? 6000 : 4000));
    return () => clearTimeout(timer);
  }, [notice, onDismiss]);

  return (
    <div className="toast-region compose-notice-region" aria-live="polite">
      {notice && (
        <div
          key={notice.id}
          className={`toast toast-${notice.kind ?? 'info'} toast-with-action`}
          role="status"
          data-testid="compose-notice"
        >
          <span>{notice.text}</span>
          {notice.action && (
            <button
              type="button"
              className="toast-action"
              onClick={() => {
                const run = notice.action?.run;
                onDismiss();
                run?.();
              }}
            >
              {notice.action.label}
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
