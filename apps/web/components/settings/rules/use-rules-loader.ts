'use client';

import { useCallback, useEffect, useState } from 'react';
import { useMail } from '../../mail/mail-store';

/** Loads one settings resource; `reload` after a change; errors go to the mail view's toast. */
export function useRulesLoader<T>(load: () => Promise<T>): { data: T | null; reload(): Promise<void> } {
  const { reportError } = useMail();
  const [data, setData] = useState<T | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await load());
    } catch (err) {
      reportError(err);
    }
  }, [load, reportError]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, reload };
}
