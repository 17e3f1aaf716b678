import type { SearchField, SearchNode } from './ast';
import { LexError } from './lexer';

const FIELDS: readonly SearchField[] = ['from', 'to', 'cc', 'subject', 'filename'];
const IS_VALUES = { unread: 'unread', read: 'read', starred: 'starred' } as const;
const OPERATORS = new Set<string>([...FIELDS, 'has', 'is', 'in', 'label', 'before', 'after', 'larger', 'smaller', 'size']);

/**
 * One `name:value` term as a leaf, or undefined when `name` is no operator we know (Gmail then
 * searches the whole word as text: "re:", "http://…"). A known operator with a value that cannot
 * mean anything is an error at the value, so a typo is said rather than silently matching nothing.
 */
export function operatorLeaf(name: string, value: string, quoted: boolean, valueAt: number): SearchNode | undefined {
  const op = name.toLowerCase();
  if (!OPERATORS.has(op)) return undefined;
  if (value === '') throw new LexError(`${op}: needs a value`, valueAt);
  if ((FIELDS as readonly string[]).includes(op)) return { type: 'field', field: op as SearchField, value, phrase: quoted };
  const lower = value.toLowerCase();
  switch (op) {
    case 'has':
      if (lower === 'attachment') return { type: 'has', what: 'attachment' };
      throw new LexError(`has:${value} is not supported (has:attachment is)`, valueAt);
    case 'is':
      if (lower in IS_VALUES) return { type: 'is', what: IS_VALUES[lower as keyof typeof IS_VALUES] };
      throw new LexError(`is:${value} is not supported (is:unread, is:read, is:starred are)`, valueAt);
    case 'in':
      return { type: 'in', mailbox: value };
    case 'label':
      return { type: 'label', name: value };
    case 'before':
    case 'after':
      return { type: 'date', op, date: parseDay(value, valueAt) };
    default:
      // larger, smaller, size (Gmail: size: is larger:)
      return { type: 'size', op: op === 'smaller' ? 'smaller' : 'larger', bytes: parseSize(value, valueAt) };
  }
}

/** "YYYY/MM/DD" or "YYYY-MM-DD" (Gmail also reads "MM/DD/YYYY") → "YYYY-MM-DD"; a real day or an error. */
export function parseDay(value: string, at: number): string {
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  let [y, mo, d] = m ? [m[1]!, m[2]!, m[3]!] : ['', '', ''];
  if (!m) {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    if (m) [y, mo, d] = [m[3]!, m[1]!, m[2]!];
  }
  if (!m) throw new LexError(`"${value}" is not a date (YYYY/MM/DD or YYYY-MM-DD)`, at);
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) {
    throw new LexError(`"${value}" is not a day of the calendar`, at);
  }
  return date.toISOString().slice(0, 10);
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** "10K", "5M", "1.5MB", "2000" → bytes (binary multiples, as Gmail's help shows them). */
export function parseSize(value: string, at: number): number {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new LexError(`"${value}" is not a size (like 10K, 5M or 2000)`, at);
  const bytes = Math.round(Number(m[1]) * unit);
  // Sizes are INTEGER columns: past 2 GiB nothing is stored anyway.
  if (!Number.isSafeInteger(bytes) || bytes > 2 ** 31 - 1) throw new LexError(`"${value}" is too large a size`, at);
  return bytes;
}
