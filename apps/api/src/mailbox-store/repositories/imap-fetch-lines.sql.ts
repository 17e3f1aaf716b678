import { MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import type { FetchLineItem } from '../imap-store.types.js';

/**
 * FETCH's fast path (RFC 9051 §7.5.2): "* n FETCH (...)" built by PostgreSQL from the row and the
 * kept wire forms (messages.envelope_imap, message_structures.body*_imap; libs/imap-protocol
 * envelopeForms / bodyForms), so Node reads one string per batch instead of flag columns and JSON
 * to encode per message. The SQL
 * mirrors fetch-message.ts (the slow path) byte for byte; fetch-lines.int.test.ts compares them.
 * A NULL text means "not kept yet" (no structure, an older version, or rows from before the wire
 * columns): the caller serves that batch through the slow path, which fills them in.
 */

/** System flags first in flagsOf's order (imap-flags.ts), then keywords. */
const FLAGS_SQL = `'FLAGS (' || concat_ws(' ', CASE WHEN m.seen THEN '\\Seen' END, CASE WHEN m.answered THEN '\\Answered' END,
  CASE WHEN m.flagged THEN '\\Flagged' END, CASE WHEN m.deleted THEN '\\Deleted' END, CASE WHEN m.draft THEN '\\Draft' END,
  NULLIF(array_to_string(m.keywords, ' '), '')) || ')'`;

/** RFC 9051 date-time in UTC, day padded with a space (formatDateTime). to_char's 'Mon' is English unless TM is given. */
const INTERNALDATE_SQL = `'INTERNALDATE "' || lpad(to_char(m.internal_date AT TIME ZONE 'UTC', 'FMDD'), 2, ' ')
  || to_char(m.internal_date AT TIME ZONE 'UTC', '-Mon-YYYY HH24:MI:SS') || ' +0000"'`;

/** A kept form, or NULL when it is missing or computed by an older MESSAGE_STRUCTURE_VERSION. */
function kept(table: 'm' | 's', column: string, utf8: boolean): string {
  const form = utf8 ? `COALESCE(${table}.${column}_utf8, ${table}.${column})` : `${table}.${column}`;
  const version = table === 'm' ? 'm.envelope_imap_version' : 's.version';
  return `CASE WHEN ${version} >= ${Number(MESSAGE_STRUCTURE_VERSION)} THEN ${form} END`;
}

export function itemSql(item: FetchLineItem, utf8: boolean): string {
  switch (item) {
    case 'UID':
      return `'UID ' || m.uid`;
    case 'FLAGS':
      return FLAGS_SQL;
    case 'INTERNALDATE':
      return INTERNALDATE_SQL;
    case 'RFC822.SIZE':
      return `'RFC822.SIZE ' || m.size`;
    case 'ENVELOPE':
      return `'ENVELOPE ' || ${kept('m', 'envelope_imap', utf8)}`;
    case 'BODY':
      return `'BODY ' || ${kept('s', 'body_imap', utf8)}`;
    case 'BODYSTRUCTURE':
      return `'BODYSTRUCTURE ' || ${kept('s', 'bodystructure_imap', utf8)}`;
    case 'MODSEQ':
      return `'MODSEQ (' || m.modseq || ')'`;
  }
}

const NEEDS_STRUCTURE = new Set<FetchLineItem>(['BODY', 'BODYSTRUCTURE']);

/**
 * The statement, one row per batch: $1 account, $2 mailbox, $3 and $4 the batch's lowest and highest
 * UID, $5 the session's sequence numbers by UID - $3 (0 for UIDs not asked for); $6 CHANGEDSINCE
 * when given. `text` is every "* n FETCH (...)\r\n" of the batch in UID order (messages at or below
 * CHANGEDSINCE left out), `found` the messages asked for that exist, `sent` those in text,
 * `missing` those lacking a kept form, `reported` "uid modseq" pairs of the messages in text (FLAGS
 * asked: the session notes what it told the client) or, for a whole range, `flagsAsOf` (the
 * mailbox's HIGHESTMODSEQ in this statement's snapshot), and `keywords` their keywords,
 * space-separated (announced before the batch, RFC 9051 §7.3.5).
 *
 * Why this shape (measured on the 10,000-message sync): one row per batch instead of one per
 * message halved Node's CPU (one string to parse); the sequence numbers as an array indexed by UID
 * instead of a join with unnest() saved PostgreSQL a hash join; the UID range as the index
 * condition keeps the scan to the batch (with "= ANY" alone and no statistics yet, e.g. right
 * after an import, PostgreSQL scanned the whole mailbox per batch). The subquery's ORDER BY orders
 * the aggregate's input (PostgreSQL documents this; the index already returns UID order, so it
 * costs no sort, where string_agg(... ORDER BY) always sorts in PostgreSQL 15).
 */
export function fetchLinesSql(items: readonly FetchLineItem[], options: { utf8: boolean; changedSince: boolean; wholeRange?: boolean }): string {
  const body = items.map((i) => itemSql(i, options.utf8)).join(` || ' ' || `);
  const seq = '($5::int[])[m.uid - $3 + 1]';
  const shown = options.changedSince ? 'm.modseq > $6' : 'true';
  const join = items.some((i) => NEEDS_STRUCTURE.has(i))
    ? 'LEFT JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id'
    : '';
  const flags = items.includes('FLAGS');
  // A whole range reports one modseq (FetchLines.flagsAsOf) read in this statement's snapshot.
  const asOf = flags && options.wholeRange === true && !options.changedSince;
  const flagCols = flags
    ? `${asOf ? '' : `, CASE WHEN ${shown} THEN m.uid || ' ' || m.modseq END AS pair`},
         CASE WHEN ${shown} AND cardinality(m.keywords) > 0 THEN array_to_string(m.keywords, ' ') END AS kw`
    : '';
  const reported = asOf
    ? `(SELECT x.highest_modseq FROM mailboxes x WHERE x.account_id = $1 AND x.id = $2)::text AS "flagsAsOf"`
    : `string_agg(pair, ',') AS reported`;
  const flagAggs = flags ? `, ${reported}, string_agg(kw, ' ') AS keywords` : '';
  return `SELECT string_agg(line, '') AS text, count(*)::int AS found, count(line)::int AS sent,
                 count(*) FILTER (WHERE line IS NULL AND shown)::int AS missing${flagAggs}
            FROM (SELECT ${shown} AS shown,
                         CASE WHEN ${shown} THEN '* ' || ${seq} || ' FETCH (' || ${body} || E')\r\n' END AS line${flagCols}
                    FROM messages m ${join}
                   WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid BETWEEN $3 AND $4 AND ${seq} > 0
                   ORDER BY m.uid) AS batch`;
}

/**
 * FETCH BODY.PEEK[] of a batch as a binary COPY (imap-copy-out.ts; COPY takes no parameters, so
 * every value here is an integer or id the caller validated): per message uid, sequence number,
 * size, the text of the items before and after the body (NULL when a kept form is missing), and
 * the message bytes when it is small (≤ inlineMax) and the batch's small ones so far stay within
 * batchMax; NULL otherwise (the caller streams it from the blob store).
 */
export function fetchBodiesSql(
  before: readonly FetchLineItem[],
  after: readonly FetchLineItem[],
  o: { utf8: boolean; accountId: string; mailboxId: string; lo: number; hi: number; seqsLiteral: string; inlineMax: number; batchMax: number },
): string {
  return bodiesSql(before, after, o.utf8, {
    account: `${BigInt(o.accountId)}`,
    mailbox: `${BigInt(o.mailboxId)}`,
    lo: `${Math.trunc(o.lo)}`,
    hi: `${Math.trunc(o.hi)}`,
    seqs: `'${intArrayLiteral(o.seqsLiteral)}'::int[]`,
    inlineMax: `${Math.trunc(o.inlineMax)}`,
    batchMax: `${Math.trunc(o.batchMax)}`,
    blobId: 'm.blob_id', // int8 as COPY's binary field
  });
}

/**
 * fetchBodiesSql with parameters instead of inlined values, for a named statement (a few messages:
 * the commonest client FETCH, one message's BODY.PEEK[]): $1 account, $2 mailbox, $3 and $4 the
 * lowest and highest UID, $5 the sequence numbers by UID - $3 (0: not asked for), $6 the inline
 * size limit, $7 the batch's byte budget. COPY takes no parameters, so each COPY text is parsed and
 * planned anew (~0.45 ms of PostgreSQL CPU per FETCH of one body). The blob id as text, as the
 * store passes ids.
 */
export function fetchBodiesParamSql(before: readonly FetchLineItem[], after: readonly FetchLineItem[], utf8: boolean): string {
  return bodiesSql(before, after, utf8, {
    account: '$1::bigint',
    mailbox: '$2::bigint',
    lo: '$3::int',
    hi: '$4::int',
    seqs: '$5::int[]',
    inlineMax: '$6::int',
    batchMax: '$7::bigint',
    blobId: 'm.blob_id::text',
  });
}

/** The one statement of both: `v` holds each value as SQL (a validated literal or a parameter). */
function bodiesSql(
  before: readonly FetchLineItem[],
  after: readonly FetchLineItem[],
  utf8: boolean,
  v: { account: string; mailbox: string; lo: string; hi: string; seqs: string; inlineMax: string; batchMax: string; blobId: string },
): string {
  const text = (items: readonly FetchLineItem[]) => (items.length === 0 ? `''` : items.map((i) => itemSql(i, utf8)).join(` || ' ' || `));
  const seq = `(${v.seqs})[m.uid - ${v.lo} + 1]`;
  const join = [...before, ...after].some((i) => NEEDS_STRUCTURE.has(i))
    ? 'LEFT JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id'
    : '';
  const small = `m.size <= ${v.inlineMax}`;
  return `SELECT m.uid, ${seq} AS seq, m.size, ${text(before)} AS before, ${text(after)} AS after,
                 CASE WHEN ${small} AND sum(CASE WHEN ${small} THEN m.size ELSE 0 END) OVER (ORDER BY m.uid) <= ${v.batchMax}
                      THEN b.data END AS data, ${v.blobId} AS "blobId"
            FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id ${join}
           WHERE m.account_id = ${v.account} AND m.mailbox_id = ${v.mailbox}
             AND m.uid BETWEEN ${v.lo} AND ${v.hi} AND ${seq} > 0
           ORDER BY m.uid`;
}

/** seqsByUid's literal, checked before COPY inlines it: braces, digits and commas only. */
function intArrayLiteral(literal: string): string {
  if (!/^\{[0-9,]*\}$/.test(literal)) throw new Error('not an int[] literal of sequence numbers');
  return literal;
}
