'use client';

import { formatSize } from '@/lib/format';
import { PaperclipIcon } from '../icons';
import type { ComposeAttachment } from '@/lib/compose-state';

/** The files of the message being written: name, size, progress while uploading, Remove. */
export function AttachmentList({ items, onRemove }: { items: ComposeAttachment[]; onRemove(a: ComposeAttachment): void }) {
  // Inline images live in the text; they are removed there, not listed here.
  const files = items.filter((a) => !a.inline || a.status === 'failed');
  if (files.length === 0) return null;
  return (
    <ul className="compose-attachments" aria-label="Attached files">
      {files.map((a) => (
        <li key={a.key} className={`compose-attachment${a.status === 'failed' ? ' failed' : ''}`} data-testid="compose-attachment">
          <PaperclipIcon width={16} height={16} />
          <span className="attachment-name">{a.filename}</span>
          <span className="attachment-size muted">{formatSize(a.size)}</span>
          {a.status === 'uploading' && (
            <span
              className="upload-progress"
              role="progressbar"
              aria-label={`Uploading ${a.filename}`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(a.progress * 100)}
            >
              <span className="upload-progress-bar" style={{ width: `${Math.round(a.progress * 100)}%` }} />
            </span>
          )}
          {a.status === 'failed' && <span className="upload-error">{a.error ?? 'Upload failed.'}</span>}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove ${a.filename}`}
            title={`Remove ${a.filename}`}
            onClick={() => onRemove(a)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
