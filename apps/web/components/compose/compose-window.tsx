'use client';

/**
 * The compose window: a non-modal dialog docked bottom-right (full screen on a phone), as Gmail's.
 * It owns the message being written; autosave, uploads and the send request hang off it.
 */
import type { Editor } from '@tiptap/react';
import { type KeyboardEvent, type MutableRefObject, useCallback, useEffect, useRef, useState } from 'react';
import type { RecipientChip } from '@/lib/addresses';
import { ApiError, api, type ComposeSettings, type SendMessageResult } from '@/lib/api';
import { extractSignature, isBlankBody, swapSignature } from '@/lib/compose-html';
import { type ComposeAttachment, type ComposeDraft, draftRequest, hasContent } from '@/lib/compose-state';
import { followSavedRefs, markGoneDraftParts } from '@/lib/draft-follow';
import { sendProblem, sendRequest } from '@/lib/send-request';
import { AttachmentList } from './attachment-list';
import { ComposeFields } from './compose-fields';
import { ComposeFooter } from './compose-footer';
import { placeAboveQuote } from './quote-fold';
import { RichEditor } from './rich-editor';
import { useDraftAutosave } from './use-draft-autosave';
import { useFileDrop } from './use-file-drop';
import { useUploads } from './use-uploads';

/** What the compose context can ask of the open window. */
export interface ComposeWindowHandle {
  /** Save now what changed, and wait for any save in flight (the window's draft ids are then known). */
  flush(): Promise<void>;
  /** Un-minimize and focus the window (its draft was asked for again). */
  restore(): void;
}

interface ComposeWindowProps {
  initial: ComposeDraft;
  settings: ComposeSettings;
  ownAddress: string;
  onClose(): void;
  onSent(snapshot: ComposeDraft, result: SendMessageResult, scheduled: boolean): void;
  onDiscarded(): void;
  /** A save replaced draft `previousId` (null: the first save) by `id`. */
  onDraftSaved(previousId: string | null, id: string): void;
  /** Set while this window is mounted. */
  handleRef?: MutableRefObject<ComposeWindowHandle | null>;
  /** The save a closing window makes on its way out (a draft opened right after waits for it). */
  onClosingSave?(save: Promise<void>): void;
}

const SAVE_TEXT = { idle: '', saving: 'Saving…', saved: 'Saved', error: 'Could not save the draft' } as const;

export function ComposeWindow({
  initial,
  settings,
  ownAddress,
  onClose,
  onSent,
  onDiscarded,
  onDraftSaved,
  handleRef,
  onClosingSave,
}: ComposeWindowProps) {
  const [draft, setDraft] = useState<ComposeDraft>(initial);
  const draftRef = useRef(draft);
  draftRef.current = draft;
  const [problem, setProblem] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [isMinimized, setIsMinimized] = useState(false);
  const [isQuoteFolded, setIsQuoteFolded] = useState(Boolean(initial.isQuoteFolded) && initial.html.includes('data-quote'));
  const editorRef = useRef<Editor | null>(null);
  const toRef = useRef<HTMLInputElement>(null);

  // Attachment updates that must be seen at once by the next request (a save or Send right after):
  // applied to draftRef now and to the state for the next render.
  const updateAttachmentsNow = useCallback((update: (prev: ComposeAttachment[]) => ComposeAttachment[]) => {
    draftRef.current = { ...draftRef.current, attachments: update(draftRef.current.attachments) };
    setDraft((d) => ({ ...d, attachments: update(d.attachments) }));
  }, []);
  const autosave = useDraftAutosave(
    () => {
      const d = draftRef.current;
      return d.draftId || hasContent(d, isBlankBody) ? draftRequest(d) : null;
    },
    initial.draftId,
    {
      onSaved: (previousId, request, result) => {
        // The previous draft is gone: its attachments are now the new draft's (SaveDraftResult.refs).
        updateAttachmentsNow((list) => followSavedRefs(list, request.attachments, result.refs));
        onDraftSaved(previousId, result.id);
      },
      onGone: (goneId) => updateAttachmentsNow((list) => markGoneDraftParts(list, goneId)),
    },
  );
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
  const closingRef = useRef(onClosingSave);
  closingRef.current = onClosingSave;
  useEffect(() => () => closingRef.current?.(saveNow()), [saveNow]);

  useEffect(() => {
    if (!handleRef) return;
    const handle: ComposeWindowHandle = {
      flush: saveNow,
      restore: () => {
        setIsMinimized(false);
        setTimeout(() => editorRef.current?.commands.focus(), 0);
      },
    };
    handleRef.current = handle;
    return () => {
      if (handleRef.current === handle) handleRef.current = null;
    };
  }, [handleRef, saveNow]);

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
    // A save that finished meanwhile moved the attachments into the new draft: send those references.
    const latest = draftRef.current;
    const late = sendProblem(latest);
    if (late) {
      autosave.resume();
      setIsSending(false);
      return setProblem(late);
    }
    try {
      const result = await api.sendMessage(sendRequest(latest, draftId, { sendAt, undoSeconds: settings.undoSendSeconds }));
      onSent({ ...latest, draftId }, result, Boolean(sendAt));
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

  const drop = useFileDrop((files) => uploads.addFiles(files));
  const saveText = pendingSend ? 'Sending when the uploads finish…' : SAVE_TEXT[autosave.status];
  return (
    <section
      className={`compose${isMinimized ? ' minimized' : ''}`}
      role="dialog"
      aria-label="New message"
      onKeyDown={onKeyDown}
      {...drop.handlers}
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
        <ComposeFooter
          isSending={isSending}
          statusText={saveText}
          onSend={() => void send()}
          onSchedule={(at) => void send(at)}
          onFiles={(files) => uploads.addFiles(files)}
          onDiscard={() => void discard()}
        />
      </div>
      {drop.isDragging && (
        <div className="drop-zone" aria-hidden="true">
          Drop files here
        </div>
      )}
    </section>
  );
}
