'use client';

import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * A list the page reads from the API when it opens (and again when `refreshKey` changes or the
 * page calls `reload()` after a change): null while the first read runs. A read the page no longer
 * needs (it closed, or a newer read began) is aborted and says nothing; any other failure goes to
 * `onError` (the webmail's error notice).
 */
export function useLoadedList<T>(
  load: (signal?: AbortSignal) => Promise<T[]>,
  onError: (err: unknown) => void,
  refreshKey?: unknown,
): { items: T[] | null; reload: () => Promise<void> } {
  const [items, setItems] = useState<T[] | null>(null);
  // The latest callbacks, so a caller's inline arrows do not make a new read on every render.
  const loadRef = useRef(load);
  const errorRef = useRef(onError);
  loadRef.current = load;
  errorRef.current = onError;

  const read = useCallback(async (signal?: AbortSignal) => {
    try {
      setItems(await loadRef.current(signal));
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) errorRef.current(err);
    }
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is the caller's "read again" signal
  useEffect(() => {
    const ctl = new AbortController();
    void read(ctl.signal);
    return () => ctl.abort();
  }, [read, refreshKey]);

  return { items, reload: useCallback(() => read(), [read]) };
}
