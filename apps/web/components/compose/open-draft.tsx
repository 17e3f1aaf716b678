'use client';

import { useEffect, useRef } from 'react';
import { useCompose } from './compose-context';

/**
 * A message of the Drafts mailbox opens in the compose window (once per opening), and the reading
 * pane offers to open it again.
 */
export function OpenDraft({ messageId }: { messageId: string }) {
  const { openDraft, isDraftOpen } = useCompose();
  const opened = useRef<string | null>(null);
  useEffect(() => {
    if (opened.current === messageId || isDraftOpen(messageId)) return;
    opened.current = messageId;
    void openDraft(messageId);
  }, [messageId, openDraft, isDraftOpen]);
  return (
    <div className="draft-bar" data-testid="draft-bar">
      <span>This is a draft.</span>
      <button type="button" className="link-btn" onClick={() => void openDraft(messageId)}>
        Edit draft
      </button>
    </div>
  );
}
