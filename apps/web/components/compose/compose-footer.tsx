'use client';

import { useRef } from 'react';
import { PaperclipIcon, TrashIcon } from '../icons';
import { ScheduleMenu } from './schedule-menu';

interface ComposeFooterProps {
  isSending: boolean;
  /** "Saving…", "Saved", … (a status region: screen readers hear it). */
  statusText: string;
  onSend(): void;
  onSchedule(at: Date): void;
  onFiles(files: File[]): void;
  onDiscard(): void;
}

/** Send with its Schedule send menu, Attach files (a hidden file input), the save status, Discard draft. */
export function ComposeFooter({ isSending, statusText, onSend, onSchedule, onFiles, onDiscard }: ComposeFooterProps) {
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <footer className="compose-footer">
      <div className="send-group">
        <button type="button" className="btn btn-primary send-btn" onClick={onSend} disabled={isSending} aria-busy={isSending}>
          Send
        </button>
        <ScheduleMenu disabled={isSending} onSchedule={onSchedule} />
      </div>
      <button type="button" className="tool-btn attach-btn" onClick={() => fileRef.current?.click()}>
        <PaperclipIcon /> Attach files
      </button>
      <input
        ref={fileRef}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        onChange={(e) => {
          onFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
      <span className="save-status muted" role="status">
        {statusText}
      </span>
      <span className="toolbar-spacer" />
      <button type="button" className="tool-btn discard-btn" onClick={onDiscard} aria-label="Discard draft" title="Discard draft">
        <TrashIcon />
      </button>
    </footer>
  );
}
