/**
 * Gmail's keyboard shortcuts as data plus a pure dispatcher (use-shortcuts.ts binds it to the
 * document). Keys are named as KeyboardEvent.key gives them ("j", "#", "?", "/", "Enter"), capitals
 * as "shift+i"; two-key sequences ("g i") are the first key, a space, the second, as Gmail lists them.
 */

/** What the help overlay (?) lists, in its order: every key the webmail binds. */
export const SHORTCUT_HELP: readonly { keys: string; label: string; group: 'Navigation' | 'Actions' | 'Jumping' }[] = [
  { keys: 'j', label: 'Older conversation', group: 'Navigation' },
  { keys: 'k', label: 'Newer conversation', group: 'Navigation' },
  { keys: 'o', label: 'Open conversation', group: 'Navigation' },
  { keys: 'Enter', label: 'Open conversation', group: 'Navigation' },
  { keys: 'u', label: 'Back to the list', group: 'Navigation' },
  { keys: '/', label: 'Search mail', group: 'Navigation' },
  { keys: '?', label: 'Show keyboard shortcuts', group: 'Navigation' },
  { keys: 'x', label: 'Select conversation', group: 'Actions' },
  { keys: 'e', label: 'Archive', group: 'Actions' },
  { keys: '#', label: 'Delete', group: 'Actions' },
  { keys: 's', label: 'Star / unstar', group: 'Actions' },
  { keys: 'shift+i', label: 'Mark as read', group: 'Actions' },
  { keys: 'shift+u', label: 'Mark as unread', group: 'Actions' },
  { keys: 'l', label: 'Labels', group: 'Actions' },
  { keys: 'v', label: 'Move to', group: 'Actions' },
  { keys: 'g i', label: 'Go to Inbox', group: 'Jumping' },
  { keys: 'g s', label: 'Go to Starred', group: 'Jumping' },
  { keys: 'g d', label: 'Go to Drafts', group: 'Jumping' },
  { keys: 'g t', label: 'Go to Sent', group: 'Jumping' },
];

/** How long the second key of a sequence ("g", then "i") may take, as in Gmail. */
export const SEQUENCE_MS = 1500;

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** The event came from a field, an editor or anything else that takes typing. */
  isTyping: boolean;
}

export interface DispatchState {
  /** The first key of a sequence, waiting for its second. */
  pending: string | null;
  at: number;
}

export const IDLE: DispatchState = { pending: null, at: 0 };

/** The binding name of a key press: "j", "shift+i", "#", "Enter"; null for bare modifiers. */
export function keyName(key: string): string | null {
  if (key === 'Shift' || key === 'Control' || key === 'Alt' || key === 'Meta' || key === 'CapsLock') return null;
  return /^[A-Z]$/.test(key) ? `shift+${key.toLowerCase()}` : key;
}

/**
 * One key press against the bound names. Returns the binding to run (or null) and the next state.
 * Typing and browser chords (Ctrl/Alt/Meta) never trigger anything and break a pending sequence.
 */
export function dispatchKey(
  state: DispatchState,
  input: KeyInput,
  bound: ReadonlySet<string>,
  now: number,
): { state: DispatchState; action: string | null } {
  if (input.isTyping || input.ctrlKey || input.metaKey || input.altKey) return { state: IDLE, action: null };
  const name = keyName(input.key);
  if (name === null) return { state, action: null };
  if (state.pending !== null && now - state.at <= SEQUENCE_MS) {
    const seq = `${state.pending} ${name}`;
    if (bound.has(seq)) return { state: IDLE, action: seq };
    // Not a sequence: fall through and read this key on its own (Gmail does the same).
  }
  if (startsSequence(name, bound)) return { state: { pending: name, at: now }, action: null };
  return { state: IDLE, action: bound.has(name) ? name : null };
}

function startsSequence(name: string, bound: ReadonlySet<string>): boolean {
  for (const b of bound) if (b.startsWith(`${name} `)) return true;
  return false;
}

/** Elements that take typing: form fields, contenteditable editors, ARIA text widgets. */
export function isTypingTarget(
  target: { tagName?: string; isContentEditable?: boolean; getAttribute?(n: string): string | null } | null,
): boolean {
  if (!target || typeof target.tagName !== 'string') return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target.getAttribute?.('type') ?? 'text').toLowerCase();
    // A checkbox or button doesn't take text: `x` on a focused row checkbox should still work.
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(type);
  }
  const role = target.getAttribute?.('role');
  return role === 'textbox' || role === 'combobox' || role === 'searchbox';
}
