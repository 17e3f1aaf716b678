'use client';

/**
 * Draft autosave: 2 s after the last change, one save in flight at a time, each PUT naming the id
 * the previous one returned (PUT /drafts, then PUT /drafts/:id). Send and Discard pause it and
 * wait for the save in flight, so they act on the latest draft id. A PUT /drafts/:id answering 404
 * (the draft was deleted elsewhere, e.g. by an IMAP client) saves the window as a new draft instead
 * of failing at every later save.
 */
import { useCallback, useRef, useState } from 'react';
import { ApiError, api, type SaveDraftRequest, type SaveDraftResult } from '@/lib/api';

export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';

const DELAY_MS = 2000;

export interface DraftAutosave {
  status: SaveStatus;
  /** A change was made: save DELAY_MS after the last one. */
  markChanged(): void;
  /** Save now if anything changed (Close). */
  saveNow(): Promise<void>;
  /** Stop saving (Send, Discard) and wait for a save in flight; answers the latest draft id. */
  pause(): Promise<string | null>;
  resume(): void;
  draftId(): string | null;
}

export interface DraftAutosaveEvents {
  /**
   * A save replaced draft `previousId` (null: the first save) by `result.id`. `request` is what was
   * saved: `result.refs[i]` is what `request.attachments[i]` became (follow them, the old draft is gone).
   */
  onSaved?(previousId: string | null, request: SaveDraftRequest, result: SaveDraftResult): void;
  /**
   * The draft being replaced is gone (404): called before the window is saved as a new draft, so
   * what named the gone draft (its attachments) can be dropped from the request getRequest makes.
   */
  onGone?(goneId: string): void;
}

/** getRequest answers null when there is nothing worth keeping (an untouched, empty window). */
export function useDraftAutosave(
  getRequest: () => SaveDraftRequest | null,
  initialDraftId: string | null,
  events: DraftAutosaveEvents = {},
): DraftAutosave {
  const [status, setStatus] = useState<SaveStatus>('idle');
  const draftId = useRef(initialDraftId);
  const revision = useRef(0);
  const savedRevision = useRef(0);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const isPaused = useRef(false);
  const getRef = useRef(getRequest);
  getRef.current = getRequest;
  const eventsRef = useRef(events);
  eventsRef.current = events;

  const saveNow = useCallback(async () => {
    clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    if (isPaused.current || revision.current === savedRevision.current) return;
    const request = getRef.current();
    if (!request) return;
    const target = revision.current;
    setStatus('saving');
    const previousId = draftId.current;
    const run = (async () => {
      let sent = request;
      let res: SaveDraftResult;
      try {
        res = await api.saveDraft(previousId, sent);
      } catch (err) {
        if (!(previousId && err instanceof ApiError && err.status === 404)) throw err;
        // Deleted elsewhere: keep what the window holds, as a new draft.
        draftId.current = null;
        eventsRef.current.onGone?.(previousId);
        sent = getRef.current() ?? sent;
        res = await api.saveDraft(null, sent);
      }
      eventsRef.current.onSaved?.(previousId, sent, res);
      draftId.current = res.id;
      savedRevision.current = target;
      setStatus(revision.current === target ? 'saved' : 'idle');
    })().catch(() => setStatus('error'));
    inFlight.current = run.finally(() => {
      inFlight.current = null;
    });
    await inFlight.current;
  }, []);

  const markChanged = useCallback(() => {
    revision.current += 1;
    setStatus((s) => (s === 'saving' ? s : 'idle'));
    clearTimeout(timer.current);
    if (!isPaused.current) timer.current = setTimeout(() => void saveNow(), DELAY_MS);
  }, [saveNow]);

  const pause = useCallback(async () => {
    isPaused.current = true;
    clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    return draftId.current;
  }, []);

  const resume = useCallback(() => {
    isPaused.current = false;
    if (revision.current !== savedRevision.current) timer.current = setTimeout(() => void saveNow(), DELAY_MS);
  }, [saveNow]);

  const getDraftId = useCallback(() => draftId.current, []);

  return { status, markChanged, saveNow, pause, resume, draftId: getDraftId };
}
