'use client';

import { useCallback, useEffect, useState } from 'react';

/**
 * A per-browser preference in localStorage (conversation view, theme, notifications). Read after
 * mount so the server-rendered HTML and the first client render agree.
 */
export function usePreference<T extends string | boolean>(key: string, fallback: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    try {
      const raw = localStorage.getItem(key);
      if (raw !== null) setValue(JSON.parse(raw) as T);
    } catch {
      // Storage off or a bad value: keep the default.
    }
  }, [key]);
  const set = useCallback(
    (v: T) => {
      setValue(v);
      try {
        localStorage.setItem(key, JSON.stringify(v));
      } catch {
        // Private mode without storage: the choice lasts for this page only.
      }
    },
    [key],
  );
  return [value, set];
}
