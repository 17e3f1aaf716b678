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
  const out = new Output();
  appendValue(out, value, options);
  return out.toBuffer();
}

/** Several values joined by single spaces (the arguments of an untagged response). */
export function encodeValues(values: readonly ImapValue[], options: EncodeOptions): Buffer {
  const out = new Output();
  values.forEach((value, i) => {
    if (i > 0) out.text += ' ';
    appendValue(out, value, options);
  });
  return out.toBuffer();
}

/**
 * encodeValues as text, for responses kept as text (wire-forms.ts): the one string itself when no
 * literal interrupted it, without a round trip through a Buffer. Literal bytes are decoded as UTF-8,
 * so this is for values whose literals hold text (strings), not binary data.
 */
export function encodeValuesText(values: readonly ImapValue[], options: EncodeOptions): string {
  const out = new Output();
  values.forEach((value, i) => {
    if (i > 0) out.text += ' ';
    appendValue(out, value, options);
  });
  return out.toText();
}

/**
 * Text accumulates in one string and becomes bytes once: a 10,000-message FETCH ENVELOPE spends its
 * time here, and a Buffer per token cost ~10 µs per envelope. Literals interrupt the string.
 */
class Output {
  text = '';
  private readonly chunks: Buffer[] = [];

  pushBytes(bytes: Buffer): void {
    if (this.text.length > 0) this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
    this.chunks.push(bytes);
  }

  toText(): string {
    return this.chunks.length === 0 ? this.text : this.toBuffer().toString('utf8');
  }

  toBuffer(): Buffer {
    if (this.chunks.length === 0) return Buffer.from(this.text, 'utf8');
    if (this.text.length > 0) this.chunks.push(Buffer.from(this.text, 'utf8'));
    this.text = '';
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
  }
}

/** Printable US-ASCII: quotable as it is (after escaping " and \) in every session. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** No CR, LF or NUL: quotable once UTF-8 is allowed (RFC 6855 §3), if short enough. */
const NO_CTL_BREAKS = /^[^\r\n\0]*$/;

function appendValue(out: Output, value: ImapValue, options: EncodeOptions): void {
  if (value === null) out.text += 'NIL';
  else if (typeof value === 'number' || typeof value === 'bigint') out.text += String(value);
  else if (Array.isArray(value)) {
    out.text += '(';
    value.forEach((item, i) => {
      if (i > 0) out.text += ' ';
      appendValue(out, item, options);
    });
    out.text += ')';
  } else if ('concat' in value) {
    for (const item of value.concat) appendValue(out, item, options);
  } else if ('atom' in value) out.text += value.atom;
  else if ('literal' in value) {
    out.text += literalHeaderText(value.literal.length, value.isBinary === true);
    out.pushBytes(value.literal);
  } else appendString(out, value.string, options);
}

function appendString(out: Output, value: string | Buffer, options: EncodeOptions): void {
  if (typeof value === 'string' && value.length <= MAX_QUOTED_BYTES / 3) {
    if (PRINTABLE_ASCII.test(value) || (options.utf8 && NO_CTL_BREAKS.test(value) && !hasLoneSurrogate(value))) {
      out.text += quoteText(value);
      return;
    }
  }
  const encoded = encodeString(value, options);
  if (encoded[0] === 0x22) out.text += encoded.toString('utf8');
  else out.pushBytes(encoded);
}

/** A lone surrogate would become U+FFFD in UTF-8: not the client's bytes, so leave it to the byte path. */
function hasLoneSurrogate(value: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

/** Characters a quoted string escapes (RFC 9051 §9 quoted-specials). */
const QUOTED_SPECIALS = /["\\]/;

function quoteText(value: string): string {
  // Most strings have nothing to escape: the test is cheaper than a replace that finds nothing.
  return QUOTED_SPECIALS.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : `"${value}"`;
}

function literalHeaderText(length: number, isBinary: boolean): string {
  return `${isBinary ? '~' : ''}{${length}}\r\n`;
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
