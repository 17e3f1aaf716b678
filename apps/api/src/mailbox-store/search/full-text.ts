import {
  type BodyPart,
  computeMessageStructure,
  decodeBinary,
  decodeEncodedWords as decodeWords,
  decodeParameter,
} from '@correio/imap-protocol';
import { htmlToPlainText } from '@correio/mime';
import { type SearchText, headerText, sentDayOf } from './search-text.js';

/**
 * Most characters of decoded body text kept per message for SEARCH BODY/TEXT (RFC 9051 §6.4.4):
 * 1 Mi characters. Past it a match is not found; this is the documented cap (ARCHITECTURE.md
 * "Search"). Text is what people search; a longer text part is rare (logs, dumps).
 */
export const FULL_BODY_TEXT_MAX = 1024 * 1024;
/** Raw bytes of one text part decoded at most (a 1 MiB text cap needs no more than a few MiB of source). */
const PART_BYTES_MAX = 4 * 1024 * 1024;

/**
 * The complete search text of a message, read from its raw bytes (the blob), not from the
 * webmail summary: every text/* leaf with its transfer encoding and charset undone, HTML turned into
 * text, every message/rfc822 (message/global) part recursively with its own header (a forwarded
 * message: RFC 9051 BODY is a substring of the body, which includes the embedded header), and the
 * file names of the other parts (they are in the body's part headers). Capped at FULL_BODY_TEXT_MAX.
 *
 * Run by the message text indexer for rows the delivery marked incomplete, by the backfill, and
 * by SEARCH for the rare row still pending and incomplete — never on the delivery path.
 */
export function extractFullText(raw: Buffer): SearchText {
  const header = headerText(raw);
  const structure = computeMessageStructure(raw);
  const out: string[] = [];
  let room = FULL_BODY_TEXT_MAX;
  const push = (s: string) => {
    if (room <= 0 || s === '') return;
    const piece = s.length > room ? s.slice(0, room) : s;
    out.push(piece);
    room -= piece.length + 1;
  };
  const walk = (part: BodyPart, depth: number): void => {
    if (room <= 0 || depth > 20) return;
    if (part.children) {
      for (const child of part.children) walk(child, depth + 1);
      return;
    }
    const name = fileName(part);
    if (name) push(name);
    if (part.message) {
      push(headerText(raw.subarray(part.bodyStart, part.bodyEnd)));
      walk(part.message.body, depth + 1);
      return;
    }
    if (part.type !== 'text') return;
    const decoded = decodeBinary(raw.subarray(part.bodyStart, Math.min(part.bodyEnd, part.bodyStart + PART_BYTES_MAX)), part.encoding);
    if (!decoded.ok) return;
    const text = charsetDecode(decoded.data, part.params.charset ?? 'us-ascii');
    push(part.subtype === 'html' ? htmlText(text) : text);
  };
  walk(structure.body, 0);
  const body = clean(out.join('\n')).toLowerCase();
  return { headerLength: header.length, content: header + body, complete: true, sentDay: sentDayOf(header) };
}

function fileName(part: BodyPart): string | undefined {
  const raw =
    (part.disposition && decodeParameter(part.disposition.params, 'filename')) ?? decodeParameter(part.params, 'name') ?? undefined;
  return raw ? decodeWords(raw) : undefined;
}

/** HTML as text; whitespace runs (html-to-text's line wrapping among them) become one space, as a browser shows them. */
function htmlText(html: string): string {
  return htmlToPlainText(html).replace(/\s+/g, ' ');
}

function charsetDecode(bytes: Buffer, charset: string): string {
  const name = charset.trim().toLowerCase();
  try {
    return new TextDecoder(name === 'us-ascii' || name === '' ? 'utf-8' : name).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

function clean(s: string): string {
  return (s as string & { toWellFormed(): string }).toWellFormed().replace(/\u0000/g, '');
}
