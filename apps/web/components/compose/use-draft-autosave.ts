'use client';

/**
 * Draft autosave: 2 s after the last change, one save in flight at a time, each PUT naming the id
 * the previous one returned (PUT /drafts, then PUT /drafts/:id). Send and Discard pause it and
 * wait for the save in flight, so they act on the latest draft id.
 */
import { useCallback, useRef, useState } from 'react';
import { api, type SaveDraftRequest } from '@/lib/api';

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

/** getRequest answers null when there is nothing worth keeping (an untouched, empty window). */
export function useDraftAutosave(
  getRequest: () => SaveDraftRequest | null,
  initialDraftId: string | null,
  onSaved?: (previousId: string | null, id: string) => void,
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
  const savedRef = useRef(onSaved);
  savedRef.current = onSaved;

  const saveNow = useCallback(async () => {
    clearTimeout(timer.current);
    while (inFlight.current) await inFlight.current;
    if (isPaused.current || revision.current === savedRevision.current) return;
    const request = getRef.current();
    if (!request) return;
    const target = revision.current;
    setStatus('saving');
    const run = api.saveDraft(draftId.current, request).then(
      (res) => {
        savedRef.current?.(draftId.current, res.id);
        draftId.current = res.id;
        savedRevision.current = target;
        setStatus(revision.current === target ? 'saved' : 'idle');
      },
      () => setStatus('error'),
    );
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
