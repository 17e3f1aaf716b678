'use client';

import { PencilIcon } from '../icons';
import { useCompose } from './compose-context';

/** The sidebar's "Compose" (key c). */
export function ComposeButton({ isFloating = false }: { isFloating?: boolean }) {
  const { openNew } = useCompose();
  return (
    <button
      type="button"
      className={`compose-btn${isFloating ? ' compose-fab' : ''}`}
      onClick={openNew}
      aria-keyshortcuts="c"
      data-testid="compose"
    >
      <PencilIcon />
      <span>Compose</span>
    </button>
  );
}
