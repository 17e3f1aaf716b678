import type { SearchKey, SequenceSet } from '@correio/imap-protocol';
import { AppError } from '../../common/app-error.js';

/**
 * Compiles an IMAP search key (RFC 9051 §6.4.4) into one SQL condition on `messages m`, every value
 * a bind parameter (never spliced into the text). $1 is the account and $2 the mailbox; compile()
 * appends the rest to `params`.
 *
 * TEXT, BODY and HEADER keep IMAP's meaning (case-insensitive substring, §6.4.4) and are served by
 * message_text, the lower-cased header + body text of each stored message: a semi-join on
 * `content LIKE '%v%'`, which the trigram GIN index (account_id, content) answers, rechecked on the
 * part the key names (the body only; one header field); plus the same on message_text_pending, the
 * rows of recent deliveries not yet moved under the index (message-text.indexer.ts). The text is size-capped at delivery
 * (search-text.ts), so a match past the cap of a very long message is not found.
 *
 * Not kept: \Recent (IMAP4rev2 dropped it; no message is ever recent here), so RECENT and NEW match
 * nothing and OLD everything.
 *
 * Dates, "disregarding time and timezone" (RFC 9051 §6.4.4): SENTBEFORE/SENTON/SENTSINCE compare
 * m.sent_day, the day written in the Date: header (search-text.ts sentDayOf), so a message dated
 * "Mon, 07 Dec 2026 01:30 +0900" was sent ON 7-Dec-2026; a message without a usable Date: matches
 * no SENT* key. BEFORE/ON/SINCE compare the internal date's day in the server's zone, which is UTC
 * (the internal date is kept as an instant; an APPEND's own offset is not kept).
 */
export function compileSearch(key: SearchKey, params: unknown[], ctes?: string[]): string {
  const bind = (v: unknown) => `$${params.push(v)}`;
  // Indexed rows, and those the indexer has not moved yet (message_text_pending: a few recent ones).
  // One IN over a UNION ALL (not two INs joined by OR), so the planner can still drive the search
  // from the index and join the few matches to messages.
  // With `ctes`, each text condition becomes a MATERIALIZED CTE (the caller puts them in a WITH):
  // evaluated once whatever the statistics say. Without statistics (right after a bulk import,
  // before auto-analyze) PostgreSQL 15 planned the IN as a subplan run per message, each a full
  // trigram search: 26 s for 2,000 messages instead of 21 ms (seen 2026-12-06).
  const textRows = (cond: string) => {
    const rows =
      `SELECT t.blob_id FROM message_text t WHERE t.account_id = $1 AND ${cond}` +
      ` UNION ALL SELECT t.blob_id FROM message_text_pending t WHERE t.account_id = $1 AND ${cond}`;
    if (!ctes) return `m.blob_id IN (${rows})`;
    const name = `text_hits_${ctes.length + 1}`;
    ctes.push(`${name} AS MATERIALIZED (${rows})`);
    return `m.blob_id IN (SELECT blob_id FROM ${name})`;
  };
  const walk = (k: SearchKey): string => {
    switch (k.type) {
      case 'all':
        return 'TRUE';
      case 'and':
        return k.keys.length === 0 ? 'TRUE' : `(${k.keys.map(walk).join(' AND ')})`;
      case 'or':
        return `(${walk(k.left)} OR ${walk(k.right)})`;
      case 'not':
        // NULL (an absent Date: header) must not turn into a match of NOT, nor hide one.
        return `NOT COALESCE(${walk(k.key)}, false)`;
      case 'seq':
        throw AppError.invalid('sequence numbers must be turned into UIDs before the store searches');
      case 'uid':
        return uidCondition(k.set, bind);
      case 'flag':
        if (k.flag === '\\Recent') return k.isSet ? 'FALSE' : 'TRUE';
        return `${k.isSet ? '' : 'NOT '}m.${FLAG_COLUMN[k.flag]}`;
      case 'keyword':
        return `${k.isSet ? '' : 'NOT '}EXISTS (SELECT 1 FROM unnest(m.keywords) kw WHERE lower(kw) = ${bind(k.keyword.toLowerCase())})`;
      case 'new':
        return 'FALSE';
      case 'old':
        return 'TRUE';
      case 'date':
        return k.field === 'internal' ? dateCondition('m.internal_date', k.op, k.date, bind) : sentDayCondition(k.op, k.date, bind);
      case 'within':
        // RFC 5032 §3: OLDER n — internal date at least n seconds ago; YOUNGER n — less than n.
        return `m.internal_date ${k.op === 'older' ? '<=' : '>'} now() - make_interval(secs => ${bind(k.seconds)})`;
      case 'size':
        return `m.size ${k.op === 'larger' ? '>' : '<'} ${bind(k.bytes)}`;
      case 'modseq':
        // RFC 7162 §3.1.5: mod-sequence greater than or equal to the one given.
        return `m.modseq >= ${bind(k.modseq.toString())}::bigint`;
      case 'text':
        return k.value === '' ? 'TRUE' : textRows(`t.content LIKE ${bind(likePattern(k.value))}`);
      case 'body': {
        if (k.value === '') return 'TRUE';
        const v = k.value.toLowerCase();
        return textRows(`t.content LIKE ${bind(likePattern(v))} AND strpos(substr(t.content, t.header_length + 1), ${bind(v)}) > 0`);
      }
      case 'header':
        return headerCondition(k.field, k.value, bind, textRows);
    }
  };
  return walk(key);
}

const FLAG_COLUMN = {
  '\\Seen': 'seen',
  '\\Answered': 'answered',
  '\\Deleted': 'deleted',
  '\\Draft': 'draft',
  '\\Flagged': 'flagged',
} as const;

function uidCondition(set: SequenceSet, bind: (v: unknown) => string): string {
  if (set.kind === 'saved') throw AppError.invalid('$ must be resolved before the store searches');
  // "*" is the highest UID in the mailbox; n:* includes it even when n is higher (RFC 9051 §6.4.8).
  const lo = set.ranges.map((r) => (r.start === '*' ? null : r.start));
  const hi = set.ranges.map((r) => (r.end === '*' ? null : r.end));
  const max = '(SELECT max(x.uid) FROM messages x WHERE x.account_id = $1 AND x.mailbox_id = $2)';
  return `EXISTS (SELECT 1 FROM unnest(${bind(lo)}::int[], ${bind(hi)}::int[]) AS r(lo, hi)
    WHERE m.uid BETWEEN LEAST(COALESCE(r.lo, ${max}), COALESCE(r.hi, ${max})) AND GREATEST(COALESCE(r.lo, ${max}), COALESCE(r.hi, ${max})))`;
}

function dateCondition(column: string, op: 'before' | 'on' | 'since', date: string, bind: (v: unknown) => string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw AppError.invalid('bad date');
  const day = `(${bind(date)}::date::timestamp AT TIME ZONE 'UTC')`;
  if (op === 'before') return `${column} < ${day}`;
  if (op === 'since') return `${column} >= ${day}`;
  return `(${column} >= ${day} AND ${column} < ${day} + interval '1 day')`;
}

function sentDayCondition(op: 'before' | 'on' | 'since', date: string, bind: (v: unknown) => string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw AppError.invalid('bad date');
  return `m.sent_day ${op === 'before' ? '<' : op === 'since' ? '>=' : '='} ${bind(date)}::date`;
}

function headerCondition(field: string, value: string, bind: (v: unknown) => string, textRows: (cond: string) => string): string {
  const name = field.toLowerCase();
  const v = value.toLowerCase();
  // The decoded Subject is a column of its own: no text row needed.
  if (name === 'subject' && v !== '') return `strpos(lower(m.subject), ${bind(v)}) > 0`;
  // One field of the header text (each line "name: value", unfolded): the field, then the value in it.
  const regex = `(^|\\n)${escapeRegex(name)}[ \\t]*:[^\\n]*${escapeRegex(v)}`;
  const inHeader = `left(t.content, t.header_length) ~ ${bind(regex)}`;
  return textRows(v === '' ? inHeader : `t.content LIKE ${bind(likePattern(v))} AND ${inHeader}`);
}

/** '%v%' for LIKE, with LIKE's own characters escaped (backslash is the default escape). */
export function likePattern(value: string): string {
  return `%${value.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
}

/** In PostgreSQL's regular expressions a backslash before a non-alphanumeric character makes it literal. */
function escapeRegex(s: string): string {
  return s.replace(/[^\p{L}\p{N} ]/gu, '\\$&');
}
