import type { MessageSummaryFields } from '@correio/mime';

/** Most characters of header text kept for the search index (body text: @correio/mime SEARCH_TEXT_MAX). */
export const HEADER_TEXT_MAX = 16 * 1024;

/** One message_text row: header text then body text, lower-cased (see the migration 20261207100000_imap). */
export interface SearchText {
  headerLength: number;
  content: string;
  /**
   * False when this text may be short of the message's (the quick text of the delivery path: a
   * body past what the summary read, HTML, several parts, forwarded messages). The message text
   * indexer replaces such a row with extractFullText (full-text.ts) before indexing it, and SEARCH
   * does so at once for a row still pending.
   */
  complete: boolean;
  /**
   * The calendar day written in the Date: header ("YYYY-MM-DD"), time and zone disregarded
   * (RFC 9051 §6.4.4 SENT* keys); null when there is none or it does not read as a date. Stored
   * as messages.sent_day by the delivery statement (it rides with the search text: both come from
   * the header this function unfolds once).
   */
  sentDay: string | null;
}

/**
 * Messages no larger than this whose one part is text/plain: the summary read all of their body
 * (@correio/mime SINGLE_PART_BODY_PREFIX.text is 16 KiB of body), so their quick text is complete.
 */
const QUICK_COMPLETE_MAX = 16 * 1024;
// Anything that makes the message more than one plain text part (loose: a false positive only
// costs the indexer one re-extraction). Tested on the lower-cased, unfolded header text.
const NOT_PLAIN = /(^|\n)content-type[ \t]*:(?![ \t]*text\/plain\b)|multipart\/|message\/|attachment|name\*?=/;

/**
 * The text SEARCH TEXT/BODY/HEADER match against (RFC 9051 §6.4.4: case-insensitive substrings of
 * the header and body). Built from what the delivery path has already: the raw header section,
 * unfolded, with RFC 2047 encoded words decoded (clients search for what they display), and the
 * decoded body text of the summary. Lower-cased here so the database compares with LIKE, and every
 * header line ends with "\n" so a HEADER key can be anchored to one field.
 * NUL and lone surrogates are gone (PostgreSQL text), as in @correio/mime cleanText.
 */
export function buildSearchText(raw: Buffer, summary: Pick<MessageSummaryFields, 'bodyText'>): SearchText {
  const header = headerText(raw);
  const body = clean(summary.bodyText ?? '').toLowerCase();
  const complete = raw.length <= QUICK_COMPLETE_MAX && !NOT_PLAIN.test(header);
  return { headerLength: header.length, content: header + body, complete, sentDay: sentDayOf(header) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATE_FIELD = /(?:^|\n)date[ \t]*:[^\n]*?(\d{1,2})[ \t]+([a-z]{3})[a-z]*[ \t]+(\d{2,4})\b/;

/**
 * The day of the Date: field of an unfolded, lower-cased header text (RFC 5322 §3.3 date-time:
 * [day-of-week ","] day month year time zone), as the sender wrote it. Two- and three-digit years
 * are read per RFC 5322 §4.3 (obs-year). Null when absent or not a real day.
 */
export function sentDayOf(header: string): string | null {
  const m = DATE_FIELD.exec(header);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!);
  let year = Number(m[3]);
  if (m[3]!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (m[3]!.length === 3) year += 1900;
  const day = Number(m[1]);
  const date = new Date(Date.UTC(year, month, day));
  if (month < 0 || date.getUTCDate() !== day || date.getUTCMonth() !== month) return null;
  return date.toISOString().slice(0, 10);
}

/** The header section as search text: unfolded, RFC 2047 words decoded, lower-cased, one "\n" per field. */
export function headerText(raw: Buffer): string {
  const scan = raw.subarray(0, 256 * 1024);
  let end = scan.indexOf('\r\n\r\n');
  if (end === -1) end = scan.indexOf('\n\n');
  // A message without an empty line is all header if it starts like one, else all body (headerless).
  if (end === -1) end = /^[\x21-\x39\x3b-\x7e]+:/.test(scan.toString('latin1', 0, 200)) ? scan.length : 0;
  if (end === 0) return '';
  const unfolded = raw
    .toString('utf8', 0, Math.min(end, HEADER_TEXT_MAX * 2))
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .map((line) => decodeEncodedWords(withoutSignatures(line)))
    .join('\n');
  return `${clean(unfolded).slice(0, HEADER_TEXT_MAX).toLowerCase()}\n`;
}

const SIGNED_FIELD = /^(?:dkim-signature|arc-message-signature|arc-seal)[ \t]*:/i;

/**
 * The b= and bh= values of DKIM/ARC signatures (RFC 6376 §3.5) left out: hundreds of random base64
 * characters per message that nobody searches for, each adding its own trigrams to the index (the
 * most costly part of indexing a message). The field and its other tags (d=, s=, …) stay searchable.
 */
function withoutSignatures(line: string): string {
  return SIGNED_FIELD.test(line) ? line.replace(/\b(bh?)[ \t]*=[ \t]*[A-Za-z0-9+/= \t]*/g, '$1=') : line;
}

function clean(s: string): string {
  // Lone surrogates cannot be encoded as UTF-8 (es2024's toWellFormed, not in this lib's types).
  return (s as string & { toWellFormed(): string }).toWellFormed().replace(/\u0000/g, '');
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** RFC 2047 §4: decodes encoded words; whitespace between two adjacent ones is dropped (§6.2). */
export function decodeEncodedWords(line: string): string {
  if (!line.includes('=?')) return line;
  return line.replace(/(\?=)[ \t]+(?==\?)/g, '$1').replace(ENCODED_WORD, (word, charset: string, enc: string, text: string) => {
    const bytes =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          );
    try {
      // RFC 2231 §5 language suffix: "utf-8*en".
      return new TextDecoder(charset.split('*')[0]!.toLowerCase()).decode(bytes);
    } catch {
      return word;
    }
  });
}
