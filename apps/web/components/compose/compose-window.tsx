'use client';

/**
 * The compose window: a non-modal dialog docked bottom-right (full screen on a phone), as Gmail's.
 * It owns the message being written; autosave, uploads and the send request hang off it.
 */
import { Selection } from '@tiptap/pm/state';
import type { Editor } from '@tiptap/react';
import { type DragEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { RecipientChip } from '@/lib/addresses';
import { ApiError, api, type ComposeSettings, type SendMessageResult } from '@/lib/api';
import { extractSignature, isBlankBody, swapSignature } from '@/lib/compose-html';
import { PaperclipIcon, TrashIcon } from '../icons';
import { AttachmentList } from './attachment-list';
import { ComposeFields } from './compose-fields';
import { type ComposeAttachment, type ComposeDraft, draftRequest, hasContent } from '@/lib/compose-state';
import { sendProblem, sendRequest } from '@/lib/send-request';
import { RichEditor } from './rich-editor';
import { ScheduleMenu } from './schedule-menu';
import { useDraftAutosave } from './use-draft-autosave';
import { useUploads } from './use-uploads';

interface ComposeWindowProps {
  initial: ComposeDraft;
  settings: ComposeSettings;
  ownAddress: string;
  onClose(): void;
  onSent(snapshot: ComposeDraft, result: SendMessageResult, scheduled: boolean): void;
  onDiscarded(): void;
}

/** With the quote folded, a press below the text puts the cursor at the end of what is shown above it. */
function placeAboveQuote(editor: Editor): boolean {
  let quoteAt = -1;
  editor.state.doc.forEach((node, offset) => {
    if (quoteAt === -1 && node.type.name === 'quote') quoteAt = offset;
  });
  if (quoteAt <= 0) return false;
  const { state } = editor;
  editor.view.dispatch(state.tr.setSelection(Selection.near(state.doc.resolve(quoteAt), -1)));
  editor.view.focus();
  return true;
}

const SAVE_TEXT = { idle: '', saving: 'Saving…', saved: 'Saved', error: 'Could not save the draft' } as const;

export function ComposeWindow({ initial, settings, ownAddress, onClose, onSent, onDiscarded }: ComposeWindowProps) {
  const [draft, setDraft] = useState<ComposeDraft>(initial);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const [problem, setProblem] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [isMinimized, setIsMinimized] = useState(false);
  const [isDragging, setIsDragging] = useState(false);
  const [isQuoteFolded, setIsQuoteFolded] = useState(Boolean(initial.isQuoteFolded) && initial.html.includes('data-quote'));
  const editorRef = useRef<Editor | null>(null);
  const toRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const autosave = useDraftAutosave(() => {
    const d = draftRef.current;
    return d.draftId || hasContent(d, isBlankBody) ? draftRequest(d) : null;
  }, initial.draftId);
  const { markChanged, saveNow } = autosave;

  const change = useCallback(
    (patch: Partial<ComposeDraft>) => {
      setDraft((d) => ({ ...d, ...patch }));
      markChanged();
    },
    [markChanged],
  );
  const setAttachments = useCallback((update: (prev: ComposeAttachment[]) => ComposeAttachment[]) => {
    setDraft((d) => ({ ...d, attachments: update(d.attachments) }));
  }, []);
  const uploads = useUploads(
    setAttachments,
    settings.maxMessageBytes,
    useCallback(() => draftRef.current.attachments.reduce((n, a) => n + a.size, 0), []),
    markChanged,
  );

  // Closing keeps the draft: whatever changed since the last save is saved now.
  useEffect(() => () => void saveNow(), [saveNow]);

  const onEditorReady = useCallback((editor: Editor) => {
    editorRef.current = editor;
    // The signature as the editor renders it is what a later From change compares with.
    setDraft((d) => ({ ...d, signatureHtml: extractSignature(editor.getHTML()) }));
    // The view is attached to the page right after creation: focus on the next turn.
    if (draftRef.current.focus === 'body') setTimeout(() => editor.commands.focus('start'), 0);
  }, []);

  const onFrom = (address: string) => {
    const next = settings.identities.find((i) => i.address === address);
    const editor = editorRef.current;
    const swapped = next && editor ? swapSignature(editor.getHTML(), draftRef.current.signatureHtml, next.signatureHtml) : null;
    if (swapped !== null && editor) {
      editor.commands.setContent(swapped, { emitUpdate: false });
      const html = editor.getHTML();
      change({ from: address, html, signatureHtml: extractSignature(html) });
    } else change({ from: address });
  };

  const uploadInlineImages = useCallback(
    async (files: File[]) => uploads.addFiles(files, true).flatMap((a) => (a.previewUrl ? [a.previewUrl] : [])),
    [uploads],
  );

  const isUploading = draft.attachments.some((a) => a.status === 'uploading');

  // Send while files are still uploading waits for them, then sends (or says what went wrong).
  const [pendingSend, setPendingSend] = useState<{ at?: Date } | null>(null);
  const send = async (sendAt?: Date) => {
    if (isSending) return;
    const d = draftRef.current;
    const why = sendProblem(d);
    setProblem(why);
    if (why) return;
    if (d.attachments.some((a) => a.status === 'uploading')) return setPendingSend({ at: sendAt });
    setIsSending(true);
    const draftId = await autosave.pause();
    try {
      const result = await api.sendMessage(sendRequest(d, draftId, { sendAt, undoSeconds: settings.undoSendSeconds }));
      onSent({ ...d, draftId }, result, Boolean(sendAt));
    } catch (err) {
      autosave.resume();
      setIsSending(false);
      setProblem(err instanceof ApiError ? err.message : 'Could not send the message. Try again.');
    }
  };
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    if (!pendingSend || isUploading) return;
    setPendingSend(null);
    void sendRef.current(pendingSend.at);
  }, [pendingSend, isUploading]);

  const discard = async () => {
    const draftId = await autosave.pause();
    for (const a of draftRef.current.attachments) uploads.remove(a);
    if (draftId) await api.deleteDraft(draftId).catch(() => {});
    onDiscarded();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape') {
      // Menus and the suggestion list stop their own Escape; ProseMirror marks every Escape as
      // handled (preventDefault) without using it, so defaultPrevented cannot tell them apart.
      e.preventDefault();
      onClose();
    }
  };

  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const dropProps = {
    onDragOver: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setIsDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node)) setIsDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setIsDragging(false);
      uploads.addFiles(Array.from(e.dataTransfer.files));
    },
  };

  const saveText = pendingSend ? 'Sending when the uploads finish…' : SAVE_TEXT[autosave.status];
  return (
    <section
      className={`compose${isMinimized ? ' minimized' : ''}`}
      role="dialog"
      aria-label="New message"
      onKeyDown={onKeyDown}
      {...dropProps}
    >
      <div className="compose-header">
        <h2 className="compose-title">{draft.subject.trim() || 'New message'}</h2>
        <button
          type="button"
          className="icon-btn compose-head-btn"
          aria-label={isMinimized ? 'Restore' : 'Minimize'}
          aria-expanded={!isMinimized}
          onClick={() => setIsMinimized((v) => !v)}
        >
          <span aria-hidden="true">{isMinimized ? '▴' : '▾'}</span>
        </button>
        <button type="button" className="icon-btn compose-head-btn" aria-label="Close" title="Close (the draft is kept)" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div className="compose-main" hidden={isMinimized}>
        <ComposeFields
          draft={draft}
          identities={
            settings.identities.length
              ? settings.identities
              : [{ address: draft.from || ownAddress, name: '', signatureHtml: '', isPrimary: true }]
          }
          toRef={toRef}
          autoFocusTo={initial.focus === 'to'}
          onRecipients={(field, next: RecipientChip[]) => {
            change({ [field]: next });
            if (problem) setProblem(null);
          }}
          onSubject={(subject) => change({ subject })}
          onFrom={onFrom}
        />
        <RichEditor
          className={`compose-editor${isQuoteFolded ? ' quote-folded' : ''}`}
          label="Message body"
          initialHtml={initial.html}
          onChange={(html) => change({ html })}
          onImageFiles={uploadInlineImages}
          onReady={onEditorReady}
          onSelection={(editor) => isQuoteFolded && editor.isActive('quote') && setIsQuoteFolded(false)}
          onBlankPress={(editor) => isQuoteFolded && placeAboveQuote(editor)}
        >
          {isQuoteFolded && (
            <button
              type="button"
              className="show-quote"
              aria-expanded={false}
              title="Show quoted text"
              onClick={() => setIsQuoteFolded(false)}
            >
              <span aria-hidden="true">•••</span>
              <span className="sr-only">Show quoted text</span>
            </button>
          )}
        </RichEditor>
        <AttachmentList items={draft.attachments} onRemove={uploads.remove} />
        {(problem || uploads.problem) && (
          <div className="compose-alert" role="alert">
            {problem ?? uploads.problem}
          </div>
        )}
        <footer className="compose-footer">
          <div className="send-group">
            <button
              type="button"
              className="btn btn-primary send-btn"
              onClick={() => void send()}
              disabled={isSending}
              aria-busy={isSending}
            >
              Send
            </button>
            <ScheduleMenu disabled={isSending} onSchedule={(at) => void send(at)} />
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
              uploads.addFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />
          <span className="save-status muted" role="status">
            {saveText}
          </span>
          <span className="toolbar-spacer" />
          <button
            type="button"
            className="tool-btn discard-btn"
            onClick={() => void discard()}
            aria-label="Discard draft"
            title="Discard draft"
          >
            <TrashIcon />
          </button>
        </footer>
      </div>
      {isDragging && (
        <div className="drop-zone" aria-hidden="true">
          Drop files here
        </div>
      )}
    </section>
  );
}
