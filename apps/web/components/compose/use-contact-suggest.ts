'use client';

import { useEffect, useState } from 'react';
import { api, type ContactSuggestion } from '@/lib/api';

const DEBOUNCE_MS = 100;

/** Suggestions for what is being typed: debounced, the previous request aborted. */
export function useContactSuggest(query: string, exclude: ReadonlySet<string>): ContactSuggestion[] {
  const [items, setItems] = useState<ContactSuggestion[]>([]);
  const q = query.trim();

  useEffect(() => {
    if (!q) {
      setItems([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.suggestContacts(q, 8, ctrl.signal).then(
        (res) => {
          if (!ctrl.signal.aborted) setItems(res.items);
        },
        () => {
          if (!ctrl.signal.aborted) setItems([]);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  return items.filter((s) => !exclude.has(s.address.toLowerCase()));
}
