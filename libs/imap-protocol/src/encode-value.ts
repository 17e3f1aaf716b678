import type { ImapValue } from './value-types';

/**
 * ImapValue → wire bytes (RFC 9051 §4). A string is quoted when that is safe and short, else a
 * literal: CR, LF and NUL never go in a quoted string, and 8-bit bytes only after UTF8=ACCEPT /
 * IMAP4rev2 (RFC 6855 §3; RFC 9051 §4.3 quoted = *QUOTED-CHAR, which is 7-bit in IMAP4rev1).
 */

export interface EncodeOptions {
  /** UTF8=ACCEPT or IMAP4rev2 enabled: UTF-8 may be sent in quoted strings. */
  utf8: boolean;
}

/** Longer strings go as literals: quoting costs a scan per byte and clients read literals faster. */
const MAX_QUOTED_BYTES = 1024;

export function encodeValue(value: ImapValue, options: EncodeOptions): Buffer {
  const parts: Buffer[] = [];
  appendValue(parts, value, options);
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

/** Several values joined by single spaces (the arguments of an untagged response). */
export function encodeValues(values: readonly ImapValue[], options: EncodeOptions): Buffer {
  const parts: Buffer[] = [];
  values.forEach((value, i) => {
    if (i > 0) parts.push(SPACE);
    appendValue(parts, value, options);
  });
  return Buffer.concat(parts);
}

const SPACE = Buffer.from(' ');
const NIL = Buffer.from('NIL');

function appendValue(parts: Buffer[], value: ImapValue, options: EncodeOptions): void {
  if (value === null) parts.push(NIL);
  else if (typeof value === 'number' || typeof value === 'bigint') parts.push(Buffer.from(String(value)));
  else if (Array.isArray(value)) {
    parts.push(Buffer.from('('));
    value.forEach((item, i) => {
      if (i > 0) parts.push(SPACE);
      appendValue(parts, item, options);
    });
    parts.push(Buffer.from(')'));
  } else if ('atom' in value) parts.push(Buffer.from(value.atom, 'utf8'));
  else if ('literal' in value) parts.push(literalHeader(value.literal.length, value.isBinary === true), value.literal);
  else parts.push(encodeString(value.string, options));
}

function literalHeader(length: number, isBinary: boolean): Buffer {
  return Buffer.from(`${isBinary ? '~' : ''}{${length}}\r\n`);
}

/** A string as a quoted string when safe, else as a literal. */
export function encodeString(value: string | Buffer, options: EncodeOptions): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  if (canQuote(bytes, options)) return Buffer.from(quoteBytes(bytes));
  return Buffer.concat([literalHeader(bytes.length, false), bytes]);
}

function canQuote(bytes: Buffer, options: EncodeOptions): boolean {
  if (bytes.length > MAX_QUOTED_BYTES) return false;
  for (const b of bytes) {
    if (b === 0x00 || b === 0x0d || b === 0x0a) return false;
    if (b >= 0x80 && !options.utf8) return false;
  }
  // 8-bit with utf8 must still be valid UTF-8 (RFC 6855 §3 quoted =/ utf8-quoted).
  return !options.utf8 || bytes.every((b) => b < 0x80) || Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

function quoteBytes(bytes: Buffer): string {
  return `"${bytes.toString('utf8').replace(/["\\]/g, '\\$&')}"`;
}

/**
 * A quoted string for text known to be safe (no CR/LF/NUL); throws otherwise, since a caller
 * building a line by hand must not smuggle a line break into the response.
 */
export function quoteString(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error('quoteString: CR, LF or NUL cannot be quoted');
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** An astring for a response line: the atom itself when it is one, else quoted ("" for empty). */
export function astring(value: string): string {
  return /^[^\x00-\x20\x7f-\uffff(){%*"\\]+$/.test(value) && value.toUpperCase() !== 'NIL' ? value : quoteString(value);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * INTERNALDATE as RFC 9051 §9 date-time: "17-Jul-1996 02:44:25 -0700", in the given zone offset
 * (minutes east of UTC; default UTC, "+0000"). The day is 2DIGIT-padded with a space (date-day-fixed).
 */
export function formatDateTime(date: Date, offsetMinutes = 0): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = String(local.getUTCDate()).padStart(2, ' ');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${day}-${MONTHS[local.getUTCMonth()]}-${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}
