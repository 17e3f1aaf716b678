'use client';

import { useEffect, useRef } from 'react';
import { type DispatchState, dispatchKey, IDLE, isTypingTarget } from './shortcuts';

/** Gmail-style shortcuts: KeyboardEvent.key names ("j", "#", "Enter"), "shift+u" for capitals, "g i" for sequences. */
export type ShortcutMap = Partial<Record<string, () => void>>;

/** Every mounted map: sequences are decided over all of them ("g s" must not also run another map's "s"). */
const mounted = new Set<{ current: ShortcutMap }>();

function allBound(): Set<string> {
  const out = new Set<string>();
  for (const ref of mounted) for (const [k, v] of Object.entries(ref.current)) if (v) out.add(k);
  return out;
}

/**
 * Binds the shortcuts on document while mounted (lib/shortcuts.ts decides, this only listens).
 * Ignored while typing in a field or an editor, and with Ctrl/Alt/Meta held (those belong to the
 * browser). The latest map is used without re-binding.
 */
export function useShortcuts(map: ShortcutMap): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    mounted.add(ref);
    let state: DispatchState = IDLE;
    const onKey = (e: KeyboardEvent) => {
      // Inside a dialog (help, label editor, compose) only the dialog's own keys apply.
      const target = e.target instanceof Element ? e.target : null;
      const inDialog = target?.closest('dialog, [role="dialog"], [role="alertdialog"], [role="menu"], [role="listbox"]') != null;
      const bound = allBound();
      const r = dispatchKey(
        state,
        {
          key: e.key,
          ctrlKey: e.ctrlKey,
          metaKey: e.metaKey,
          altKey: e.altKey,
          isTyping: inDialog || isTypingTarget(target as HTMLElement | null),
        },
        bound,
        e.timeStamp || performance.now(),
      );
      state = r.state;
      const action = r.action ? ref.current[r.action] : undefined;
      // Enter on a focused link, button or field is that element's own.
      if (r.action === 'Enter' && target?.matches('button, a[href], summary, input, select')) return;
      // Every map follows every key (so sequence state agrees); each runs only its own bindings, and
      // a key another handler already took (defaultPrevented) runs nothing more.
      if (!action || e.defaultPrevented) return;
      e.preventDefault();
      action();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      mounted.delete(ref);
      document.removeEventListener('keydown', onKey);
    };
  }, []);
}
