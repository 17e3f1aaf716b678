'use client';

/**
 * `l` (Labels) and `v` (Move to) open a menu that lives in a toolbar: the list's (when rows are
 * selected) or the reading pane's. The keyboard handler announces which; the menu with that scope
 * opens itself.
 */
import { useEffect } from 'react';

export type MenuName = 'labels' | 'move';
export type MenuScope = 'list' | 'pane';
const EVENT = 'correio:open-menu';

export function openMenu(name: MenuName, scope: MenuScope): void {
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { name, scope } }));
}

export function useMenuSignal(name: MenuName, scope: MenuScope, open: () => void): void {
  useEffect(() => {
    const on = (e: Event) => {
      const d = (e as CustomEvent<{ name: MenuName; scope: MenuScope }>).detail;
      if (d.name === name && d.scope === scope) open();
    };
    window.addEventListener(EVENT, on);
    return () => window.removeEventListener(EVENT, on);
  }, [name, scope, open]);
}
