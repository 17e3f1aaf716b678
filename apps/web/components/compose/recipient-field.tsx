'use client';

/**
 * A recipient field: chips for the addresses, a text input that is an ARIA combobox with contact
 * suggestions (WAI-ARIA APG "combobox with listbox popup"). Enter, Tab, comma, semicolon or
 * leaving the field turns the text into chips; a pasted list becomes one chip per address.
 */
import {
  type ClipboardEvent,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { addRecipients, parseAddressList, type RecipientChip } from '@/lib/addresses';
import type { ContactSuggestion } from '@/lib/api';
import { useContactSuggest } from './use-contact-suggest';

interface RecipientFieldProps {
  label: 'To' | 'Cc' | 'Bcc';
  value: RecipientChip[];
  onChange(next: RecipientChip[]): void;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
  children?: ReactNode;
}

export function RecipientField({ label, value, onChange, inputRef, autoFocus, children }: RecipientFieldProps) {
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const [isOpen, setIsOpen] = useState(false);
  const ownRef = useRef<HTMLInputElement>(null);
  const ref = inputRef ?? ownRef;
  // Focus on mount (the window opens on To; Cc/Bcc open when asked for).
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount only
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, []);
  const chosen = useMemo(() => new Set(value.map((r) => r.address.toLowerCase())), [value]);
  const suggestions = useContactSuggest(isOpen ? text : '', chosen);
  const isExpanded = isOpen && suggestions.length > 0;

  const commit = (raw: string) => {
    const parsed = parseAddressList(raw);
    if (parsed.length) onChange(addRecipients(value, parsed));
    setText('');
    setActive(-1);
    setIsOpen(false);
  };
  const pick = (s: ContactSuggestion) => {
    onChange(addRecipients(value, [{ address: s.address, ...(s.name ? { name: s.name } : {}), isValid: true }]));
    setText('');
    setActive(-1);
    setIsOpen(false);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isExpanded && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      const n = suggestions.length;
      setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % n : (i - 1 + n) % n));
      return;
    }
    if (e.key === 'Escape' && isExpanded) {
      e.preventDefault();
      e.stopPropagation();
      setIsOpen(false);
      setActive(-1);
      return;
    }
    const picked = isExpanded && active >= 0 ? suggestions[active] : undefined;
    if ((e.key === 'Enter' || e.key === 'Tab') && picked) {
      e.preventDefault();
      pick(picked);
      return;
    }
    if (e.key === 'Enter' || e.key === ',' || e.key === ';') {
      if (e.ctrlKey || e.metaKey) return; // Ctrl+Enter: send (the window handles it)
      if (text.trim() || e.key === 'Enter') e.preventDefault();
      if (text.trim()) commit(text);
      return;
    }
    if (e.key === 'Tab' && text.trim()) {
      commit(text); // and let Tab move on
      return;
    }
    if (e.key === 'Backspace' && text === '' && value.length > 0) {
      e.preventDefault();
      onChange(value.slice(0, -1));
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text/plain');
    if (!/[,;\n]/.test(pasted) && !pasted.includes('@')) return;
    e.preventDefault();
    commit(`${text}${pasted}`);
  };

  const onInput = (next: string) => {
    // A separator typed or dropped in the middle: everything before it becomes chips.
    const cut = Math.max(next.lastIndexOf(','), next.lastIndexOf(';'));
    if (cut >= 0) {
      const parsed = parseAddressList(next.slice(0, cut));
      if (parsed.length) onChange(addRecipients(value, parsed));
      next = next.slice(cut + 1).trimStart();
    }
    setText(next);
    setActive(-1);
    setIsOpen(true);
  };

  return (
    <div className="recipient-row">
      <label className="compose-label" htmlFor={id}>
        {label}
      </label>
      <div className="recipient-box">
        {value.length > 0 && (
          <ul className="chips" aria-label={`${label} recipients`}>
            {value.map((r) => (
              <li
                key={r.address.toLowerCase()}
                className={`chip${r.isValid ? '' : ' chip-invalid'}`}
                aria-invalid={!r.isValid}
                title={r.isValid ? (r.name ? `${r.name} <${r.address}>` : r.address) : 'Invalid address'}
              >
                <span className="chip-text">{r.name || r.address}</span>
                {!r.isValid && <span className="sr-only"> (invalid address)</span>}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${r.address}`}
                  onClick={() => onChange(value.filter((x) => x !== r))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="combo">
          <input
            id={id}
            ref={ref}
            className="recipient-input"
            type="text"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={isExpanded}
            aria-controls={listId}
            aria-activedescendant={isExpanded && active >= 0 ? `${listId}-${active}` : undefined}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            data-autofocus={autoFocus ? '' : undefined}
            value={text}
            onChange={(e) => onInput(e.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onBlur={() => text.trim() && commit(text)}
          />
          <div id={listId} role="listbox" aria-label={`Suggestions for ${label}`} className="suggestions" hidden={!isExpanded}>
            {isExpanded &&
              suggestions.map((s, i) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys (APG pattern)
                <div
                  key={s.address}
                  tabIndex={-1}
                  id={`${listId}-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={`suggestion${i === active ? ' active' : ''}`}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => pick(s)}
                >
                  {s.name && <span className="suggestion-name">{s.name}</span>}
                  <span className="suggestion-address">{s.address}</span>
                </div>
              ))}
          </div>
        </div>
      </div>
      {children}
    </div>
  );
}
