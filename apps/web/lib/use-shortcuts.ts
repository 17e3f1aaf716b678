'use client';

import { useEffect, useRef } from 'react';

/** Gmail-style single-key shortcuts: KeyboardEvent.key values ("j", "#"), "shift+u" for capitals. */
export type ShortcutMap = Partial<Record<string, () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Binds the shortcuts on document while mounted. Ignored while typing in a field or with
 * Ctrl/Alt/Meta held (those belong to the browser). The latest map is used without re-binding.
 */
export function useShortcuts(map: ShortcutMap): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const name = /^[A-Z]$/.test(e.key) ? `shift+${e.key.toLowerCase()}` : e.key;
      const action = ref.current[name];
      if (!action) return;
      e.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
