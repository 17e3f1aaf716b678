'use client';

/**
 * "Schedule send": a menu of presets beside Send, and "Pick date & time" (a small dialog with a
 * datetime-local input). Menu keys follow the WAI-ARIA APG menu button: arrows, Home/End, Escape.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ClockIcon } from '../icons';
import { fromDateTimeLocal, scheduleProblem, schedulePresets, toDateTimeLocal } from '@/lib/schedule';

const WHEN = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' } as const;

export function ScheduleMenu({ disabled, onSchedule }: { disabled?: boolean; onSchedule(at: Date): void }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isPicking, setIsPicking] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const presets = isOpen ? schedulePresets() : [];

  useEffect(() => {
    if (isOpen) menuRef.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [isOpen]);

  const close = (refocus: boolean) => {
    setIsOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = Array.from(menuRef.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const moveTo = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (e.key === 'ArrowDown') moveTo(at + 1);
    else if (e.key === 'ArrowUp') moveTo(at - 1);
    else if (e.key === 'Home') moveTo(0);
    else if (e.key === 'End') moveTo(items.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') return close(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div className="menu-root">
      <button
        ref={buttonRef}
        type="button"
        className="btn schedule-btn"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        disabled={disabled}
        onClick={() => setIsOpen((v) => !v)}
        title="Schedule send"
      >
        <ClockIcon width={18} height={18} />
        <span className="sr-only">Schedule send</span>
      </button>
      {isOpen && (
        <div
          ref={menuRef}
          className="menu menu-up"
          role="menu"
          aria-label="Schedule send"
          tabIndex={-1}
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            if (!menuRef.current?.contains(e.relatedTarget as Node) && e.relatedTarget !== buttonRef.current) setIsOpen(false);
          }}
        >
          {presets.map((p) => (
            <button
              key={p.label}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => {
                close(false);
                onSchedule(p.at);
              }}
            >
              {p.label}
              <span className="menu-item-detail"> — {p.at.toLocaleString(undefined, WHEN)}</span>
            </button>
          ))}
          <button
            type="button"
            role="menuitem"
            className="menu-item"
            onClick={() => {
              close(false);
              setIsPicking(true);
            }}
          >
            Pick date &amp; time
          </button>
        </div>
      )}
      {isPicking && (
        <PickDateTime
          onCancel={() => {
            setIsPicking(false);
            buttonRef.current?.focus();
          }}
          onPick={(at) => {
            setIsPicking(false);
            onSchedule(at);
          }}
        />
      )}
    </div>
  );
}

function PickDateTime({ onPick, onCancel }: { onPick(at: Date): void; onCancel(): void }) {
  const id = useId();
  const [value, setValue] = useState(() => toDateTimeLocal(schedulePresets()[0]?.at ?? new Date()));
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const at = fromDateTimeLocal(value);
    const why = scheduleProblem(at);
    if (why || !at) return setProblem(why);
    onPick(at);
  };
  return (
    <div
      className="pick-datetime"
      role="dialog"
      aria-label="Pick date & time"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        }
        if (e.key === 'Enter' && !(e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          submit();
        }
      }}
    >
      <label htmlFor={id} className="field-label">
        Date and time
      </label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        min={toDateTimeLocal(new Date())}
        onChange={(e) => setValue(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the dialog was opened to fill this in
        autoFocus
      />
      {problem && (
        <p role="alert" className="compose-alert">
          {problem}
        </p>
      )}
      <div className="pick-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={submit}>
          Schedule send
        </button>
      </div>
    </div>
  );
}
