import { IMAP_LIMITS } from './limits';

/** Byte-level reading of command lines for the receiver: the tag, literal announcements, quotes and nesting. */

// RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+"> (ATOM-CHAR plus "]").
const TAG_RE = /^[\x21\x23\x24\x26\x27\x2c-\x5b\x5d-\x7a\x7c-\x7e]+/;

/** The tag at the start of a command line, or '' (RFC 9051 §9: tag = 1*<any ASTRING-CHAR except "+">). */
export function readTag(line: Buffer): string {
  const head = line.toString('latin1', 0, Math.min(line.length, 128));
  const match = TAG_RE.exec(head);
  if (!match) return '';
  const tag = match[0];
  if (tag.length === head.length) return line.length === head.length ? tag : ''; // longer than we look at
  return head[tag.length] === ' ' ? tag : '';
}

/**
 * The literal announced at the end of a line: "{" digits ["+"] "}" (RFC 9051 §4.3, RFC 7888),
 * optionally preceded by "~" (literal8, RFC 3516). Read backwards over any number of digits, so an
 * absurd size is refused rather than missed — a missed announcement would make the literal's
 * bytes be read as commands.
 */
export function readAnnouncement(line: Buffer): { start: number; size: number; isSync: boolean; isBinary: boolean } | null {
  let i = line.length - 1;
  if (line[i] !== 0x7d) return null; // "}"
  i--;
  const isSync = line[i] !== 0x2b; // "+"
  if (!isSync) i--;
  const digitsEnd = i + 1;
  while (i >= 0 && (line[i] as number) >= 0x30 && (line[i] as number) <= 0x39) i--;
  if (i < 0 || line[i] !== 0x7b || i + 1 === digitsEnd) return null; // "{" and at least one digit
  const digits = digitsEnd - (i + 1);
  const size = digits > IMAP_LIMITS.maxLiteralDigits ? Number.POSITIVE_INFINITY : Number(line.toString('latin1', i + 1, digitsEnd));
  const isBinary = i > 0 && line[i - 1] === 0x7e; // "~"
  return { start: isBinary ? i - 1 : i, size, isSync, isBinary };
}

/**
 * Quote state and parenthesis depth of one line (quoted strings cannot span lines, RFC 9051 §4.3),
 * so a "{5}" inside a quoted string is not taken for a literal.
 */
export function scanLine(line: Buffer, depth: number): { depth: number; maxDepth: number; isInQuote: boolean } {
  let isInQuote = false;
  let maxDepth = depth;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (isInQuote) {
      if (c === 0x5c) i++;
      else if (c === 0x22) isInQuote = false;
    } else if (c === 0x22) isInQuote = true;
    else if (c === 0x28) {
      depth++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 0x29 && depth > 0) depth--;
  }
  return { depth, maxDepth, isInQuote };
}
