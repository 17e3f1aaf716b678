import type { Address } from './api';

/** List dates, Gmail-style: time today, "12 Mar" this year, full date before that. */
export function formatListDate(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  if (d.toDateString() === now.toDateString()) {
    return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  if (d.getFullYear() === now.getFullYear()) {
    return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
  }
  return d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function formatFullDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function displayName(a: Address | undefined): string {
  if (!a) return '(unknown sender)';
  return a.name.trim() || a.address || '(unknown sender)';
}

export function formatAddress(a: Address): string {
  return a.name.trim() ? `${a.name} <${a.address}>` : a.address;
}

export function formatAddressList(list: readonly Address[]): string {
  return list.map(formatAddress).join(', ');
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** First letter for the sender avatar. */
export function initial(a: Address | undefined): string {
  const s = displayName(a).replace(/^["'(<\s]+/, '');
  return (s[0] ?? '?').toUpperCase();
}

/** A stable pleasant hue per sender so avatars are distinguishable at a glance. */
export function avatarHue(seed: string): number {
  let h = 0;
  for (let i = 0; i < seed.length; i++) h = (h * 31 + seed.charCodeAt(i)) >>> 0;
  return h % 360;
}
