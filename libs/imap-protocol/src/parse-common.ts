import type { ParseContext, SequenceSet } from './command-types';
import { decodeModifiedUtf7 } from './mutf7';
import type { Reader } from './parse-reader';
import { parseSequenceSet } from './sequence-set';

/** Argument readers shared by several commands (RFC 9051 §9 mailbox, flag, date, sequence-set). */

/**
 * mailbox = "INBOX" / astring. INBOX in any case is "INBOX" (RFC 9051 §5.1); other names are
 * modified UTF-7 unless UTF8=ACCEPT / IMAP4rev2 is enabled (RFC 6855 §3, RFC 9051 §5.1.3).
 */
export function readMailbox(r: Reader, ctx: ParseContext, what = 'mailbox name'): string {
  return decodeMailbox(r, r.astring(what), ctx);
}

export function decodeMailbox(r: Reader, raw: string, ctx: ParseContext): string {
  if (raw.toUpperCase() === 'INBOX') return 'INBOX';
  if (ctx.isUtf8) return raw;
  const decoded = decodeModifiedUtf7(raw);
  if (decoded === null) r.fail('Mailbox name is not valid modified UTF-7');
  return decoded;
}

/** sequence-set, or "$" (RFC 5182) when allowSaved. */
export function readSequenceSet(r: Reader, allowSaved = true): SequenceSet {
  const text = r.take(/[0-9:*,$]/, 'sequence set');
  const set = parseSequenceSet(text);
  if (!set || (set.kind === 'saved' && !allowSaved)) r.fail('Invalid sequence set');
  return set;
}

const SYSTEM_FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '\\Recent'];
const SYSTEM_FLAG_BY_UPPER = new Map(SYSTEM_FLAGS.map((f) => [f.toUpperCase(), f]));

/**
 * flag = system flag (case normalised) / flag-keyword (atom, kept as sent) / flag-extension
 * ("\" atom, kept as sent). \Recent is returned too; STORE/APPEND handlers refuse it (RFC 9051 §2.3.2).
 */
export function readFlag(r: Reader): string {
  if (r.peek() === '\\') {
    r.skip(1);
    const name = `\\${r.atom('flag')}`;
    return SYSTEM_FLAG_BY_UPPER.get(name.toUpperCase()) ?? name;
  }
  return r.atom('flag');
}

/** flag-list = "(" [flag *(SP flag)] ")". */
export function readFlagList(r: Reader): string[] {
  const flags: string[] = [];
  r.list(() => flags.push(readFlag(r)), true);
  return flags;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** date = date-text / DQUOTE date-text DQUOTE; date-text = 1*2DIGIT "-" Mon "-" 4DIGIT → "YYYY-MM-DD". */
export function readDate(r: Reader): string {
  const text = r.peek() === '"' ? r.quoted() : r.take(/[0-9A-Za-z-]/, 'date');
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text);
  const month = match ? MONTHS.indexOf((match[2] as string).toUpperCase()) + 1 : 0;
  const day = match ? Number(match[1]) : 0;
  if (!match || month === 0 || day < 1 || day > daysIn(Number(match[3]), month)) r.fail(`Invalid date "${text}"`);
  return `${match[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
 * (RFC 9051 §9; date-day-fixed is SP DIGIT or 2DIGIT; one-digit days without the space are
 * accepted too, as some clients send them).
 */
export function readDateTime(r: Reader): Date {
  const text = r.quoted();
  const match = /^ ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  if (!match) return r.fail(`Invalid date-time "${text}"`);
  const [, d, mon, y, hh, mm, ss, sign, zh, zm] = match as unknown as string[];
  const month = MONTHS.indexOf((mon as string).toUpperCase()) + 1;
  const day = Number(d);
  if (month === 0 || day < 1 || day > daysIn(Number(y), month) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60) {
    r.fail(`Invalid date-time "${text}"`);
  }
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  const utc = Date.UTC(Number(y), month - 1, day, Number(hh), Number(mm), Math.min(Number(ss), 59));
  return new Date(utc - offsetMinutes * 60_000);
}

/** Optional "(" ... ")" parameter list after a command (SELECT, CREATE, FETCH, STORE modifiers). */
export function hasParams(r: Reader): boolean {
  return r.rest().startsWith(' (');
}
