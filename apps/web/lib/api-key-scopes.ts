import type { ApiKeyScope } from '@correio/contracts';

/** The scopes a key can hold, in the order the settings page offers them, with what each allows. */
export const SCOPE_CHOICES: { scope: ApiKeyScope; label: string; hint: string; isAdminOnly: boolean }[] = [
  { scope: 'mail:read', label: 'Read mail', hint: 'List, search, read and download messages', isAdminOnly: false },
  { scope: 'mail:write', label: 'Change mail', hint: 'Flags, moves, deletes, imports and mailboxes', isAdminOnly: false },
  { scope: 'mail:send', label: 'Send mail', hint: 'Submit messages as this account', isAdminOnly: false },
  { scope: 'admin', label: 'Administration', hint: 'Domains and the outbound queue', isAdminOnly: true },
];

/**
 * A date input's value (YYYY-MM-DD, the user's calendar day) → the key's expiry: the end of that
 * day in the browser's time zone, as an ISO instant. Empty → never expires.
 */
export function expiryFromDateInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 23, 59, 59, 999).toISOString();
}

/** Tomorrow as a date input's `min` (a key that expires today would be gone before it is used). */
export function tomorrowForDateInput(now = new Date()): string {
  const t = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}
