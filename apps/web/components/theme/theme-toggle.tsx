'use client';

import { useEffect } from 'react';
import { usePreference } from '../mail/use-preference';
import { MoonIcon, SunIcon } from '../icons';
import { applyTheme, effectiveTheme, THEME_KEY, type ThemeChoice } from './theme';

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [choice, setChoice] = usePreference<ThemeChoice>(THEME_KEY, 'system');
  useEffect(() => applyTheme(choice), [choice]);
  return [choice, setChoice];
}

/** The top bar's switch: flips what is shown now (light ↔ dark) and remembers it. */
export function ThemeToggle() {
  const [choice, setChoice] = useTheme();
  const isDark = effectiveTheme(choice) === 'dark';
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label="Dark theme"
      aria-pressed={isDark}
      title={isDark ? 'Switch to light theme' : 'Switch to dark theme'}
      onClick={() => setChoice(isDark ? 'light' : 'dark')}
      data-testid="theme-toggle"
    >
      {isDark ? <SunIcon /> : <MoonIcon />}
    </button>
  );
}
