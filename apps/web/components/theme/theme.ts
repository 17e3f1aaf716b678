/**
 * Light / dark / system theme. The choice is kept in localStorage and put on <html data-theme>
 * before the first paint by THEME_SCRIPT (in the root layout), so there is no flash of the wrong
 * theme; "system" leaves the attribute off and CSS follows prefers-color-scheme.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_KEY = 'correio.theme';

export const THEME_SCRIPT = `try{var t=JSON.parse(localStorage.getItem('${THEME_KEY}')||'"system"');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}`;

export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** What is on screen now (for the toggle's icon and its next state). */
export function effectiveTheme(choice: ThemeChoice): 'light' | 'dark' {
  if (choice !== 'system') return choice;
  return typeof window !== 'undefined' && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
