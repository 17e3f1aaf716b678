'use client';

/**
 * "Search mail" (key `/`): Gmail-syntax queries go to /mail/search?q=…; while typing, people from
 * the contact list are suggested (GET /contacts/suggest) and choosing one searches `from:` them.
 * ARIA 1.2 combobox pattern: the input owns a listbox; arrows move, Enter picks, Escape closes.
 */
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { openItem } from '@/lib/open-item';
import { useShortcuts } from '@/lib/use-shortcuts';
import { useContactSuggest } from '../compose/use-contact-suggest';
import { SearchIcon } from '../icons';

const NO_EXCLUDE: ReadonlySet<string> = new Set();

export function SearchBox() {
  const router = useRouter();
  const current = useSearchParams().get('q') ?? '';
  const [text, setText] = useState(current);
  const [isOpen, setIsOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  // Suggest people only for the word being typed when it's free text (not after an operator).
  const lastWord = /(?:^|\s)([^\s:"-][^\s:"]*)$/.exec(text)?.[1] ?? '';
  const people = useContactSuggest(isOpen && lastWord.length >= 1 ? lastWord : '', NO_EXCLUDE).slice(0, 6);
  useEffect(() => setText(current), [current]);
  useShortcuts({ '/': () => inputRef.current?.focus() });

  const go = (q: string) => {
    setIsOpen(false);
    setActive(-1);
    const query = q.trim();
    if (!query) return;
    const href = `/mail/search?q=${encodeURIComponent(query)}`;
    // From the search view, a new query is a history entry like opening a row (lib/open-item.ts):
    // the view reads q with useSearchParams, which follows pushState, and the router's server round
    // trip for the same route was most of a search's time. From another view the route changes.
    if (/^\/mail\/search(\/|$)/.test(window.location.pathname)) openItem(href);
    else router.push(href);
    inputRef.current?.blur();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const person = people[active];
    if (person) go(`${text.slice(0, text.length - lastWord.length)}from:${person.address}`);
    else go(text);
  };
  const isExpanded = isOpen && people.length > 0;

  return (
    // biome-ignore lint/a11y/useSemanticElements: <search> is not in React's JSX types yet; the role is the same landmark
    <form role="search" className="search-form" onSubmit={onSubmit}>
      <SearchIcon className="search-icon" />
      <input
        ref={inputRef}
        type="text"
        inputMode="search"
        className="search-input"
        role="combobox"
        autoComplete="off"
        aria-label="Search mail"
        aria-expanded={isExpanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={isExpanded && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="Search mail"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setIsOpen(true);
          setActive(-1);
        }}
        onFocus={() => setIsOpen(true)}
        onBlur={() => setTimeout(() => setIsOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && isExpanded) {
            e.preventDefault();
            setActive((a) => Math.min(people.length - 1, a + 1));
          } else if (e.key === 'ArrowUp' && isExpanded) {
            e.preventDefault();
            setActive((a) => Math.max(-1, a - 1));
          } else if (e.key === 'Escape') {
            setIsOpen(false);
            if (!isExpanded) inputRef.current?.blur();
          }
        }}
        data-testid="search-input"
      />
      <div id={listId} role="listbox" aria-label="People" className="search-suggest" hidden={!isExpanded}>
        {people.map((p, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox input handles the keys (APG pattern)
          <div
            key={p.address}
            tabIndex={-1}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className="suggest-option"
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => go(`${text.slice(0, text.length - lastWord.length)}from:${p.address}`)}
            data-testid="search-person"
          >
            <span className="suggest-name">{p.name || p.address}</span>
            {p.name && <span className="suggest-address">{p.address}</span>}
          </div>
        ))}
      </div>
    </form>
  );
}
