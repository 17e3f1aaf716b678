import { isUtf8 } from 'node:buffer';

/**
 * The header block of one MIME entity, found by byte offsets (no copy of the body). RFC 5322 §2.1:
 * the header ends at the first empty line; bare LF line ends are tolerated (mail appended by
 * clients or read from Maildir), so an empty line is "\n" or "\r\n".
 */
export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** Unfolded value (RFC 5322 §2.2.3: CRLF before WSP removed), leading/trailing whitespace trimmed. */
  value: string;
  /** Bytes of the whole field in the raw message, folded lines and the final line end included. */
  start: number;
  end: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** First byte after the empty line (or `end` when there is no empty line: all header, no body). */
  bodyStart: number;
}

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;
const COLON = 58;

/**
 * Scans [start, end) of raw for header fields; fields past maxHeaderBytes are skipped, not parsed.
 * With `only`, fields of other (lower-case) names are left out before their values are decoded
 * (the ENVELOPE needs 10 names; a received message's trace fields are most of its header).
 */
export function scanHeaderBlock(raw: Buffer, start: number, end: number, maxHeaderBytes: number, only?: ReadonlySet<string>): HeaderBlock {
  const view = raw.subarray(0, end);
  const fields: HeaderField[] = [];
  let current: { nameEnd: number; start: number; end: number } | null = null;
  const spans: { nameEnd: number; start: number; end: number }[] = [];
  let pos = start;
  let bodyStart = end;
  while (pos < end) {
    const lf = view.indexOf(LF, pos);
    const lineEnd = lf === -1 ? end : lf + 1;
    const first = view[pos];
    if (first === LF || (first === CR && view[pos + 1] === LF)) {
      bodyStart = lineEnd;
      break;
    }
    if ((first === SP || first === HT) && current) {
      current.end = lineEnd; // a folded continuation line
    } else {
      // The colon is looked for in this line only: searching the rest of the entity from every
      // colon-less line would be quadratic.
      let colon = pos;
      while (colon < lineEnd && view[colon] !== COLON) colon++;
      if (colon === lineEnd) colon = -1;
      // A line without a colon is not a field (e.g. an mbox "From " line): skipped, as Dovecot does.
      current = colon !== -1 && colon < lineEnd && pos - start < maxHeaderBytes ? { nameEnd: colon, start: pos, end: lineEnd } : null;
      if (current) spans.push(current);
    }
    pos = lineEnd;
  }
  const limit = start + maxHeaderBytes;
  for (const span of spans) {
    const name = raw.toString('latin1', span.start, span.nameEnd).trim().toLowerCase();
    if (name === '' || (only !== undefined && !only.has(name))) continue;
    // One huge field (a line megabytes long) is read only up to the header limit.
    const valueEnd = Math.max(span.nameEnd + 1, Math.min(span.end, limit));
    fields.push({ name, value: unfold(decodeHeaderBytes(raw, span.nameEnd + 1, valueEnd)), start: span.start, end: span.end });
  }
  return { fields, bodyStart };
}

/** Header bytes as text: UTF-8 when valid (RFC 6532 internationalised headers), else latin1 (one char per byte). */
export function decodeHeaderBytes(raw: Buffer, start: number, end: number): string {
  const bytes = raw.subarray(start, end);
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
  }
  return bytes.toString('latin1');
}

function unfold(value: string): string {
  return value
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/\r?\n$/, '')
    .trim();
}

/** The first field of that (lower-case) name, or undefined. */
export function headerValue(fields: HeaderField[], name: string): string | undefined {
  for (const field of fields) if (field.name === name) return field.value;
  return undefined;
}
