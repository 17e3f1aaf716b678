/** Sizes on the admin pages (issue 14): quotas as an admin writes them, byte counts as BIGINT strings. */

/** "1.5 MB" for a byte count given as a decimal string (BIGINT on the wire). */
export function formatBytes(value: string | number): string {
  let n = Number(value);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n >= 10 || i === 0 ? Math.round(n) : n.toFixed(1)} ${units[i]}`;
}

/** Parses "500 MB", "2 GB", "0" (unlimited) or a plain byte count; null when unreadable. */
export function parseQuota(text: string): string | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?\s*$/i.exec(text);
  if (!m) return null;
  const mult = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return String(Math.round(Number(m[1]) * mult));
}
