import { decodeUidBytes, uidBytesAgg } from './uid-bytes.js';
import type { PoolClient } from '@correio/db';
import type { DbFeatures } from '../../database/database.module.js';
import type { FlagState } from '../imap-flags.js';
import { preparedQuery } from './imap-prepared.js';

type Queryable = Pick<PoolClient, 'query'>;

/**
 * STORE and EXPUNGE as single statements: each IMAP write used to be BEGIN, a locking SELECT, the
 * modseq allocation, the UPDATE/DELETE and COMMIT, one round trip each (5 for STORE, ~9 for
 * EXPUNGE), which is what the one-session mixed load waited on. The data-modifying CTEs keep the
 * LOCK ORDER of mailbox-store.service.ts: message rows (FOR UPDATE, ascending id — LockRows above
 * the Sort), then the account row, then the mailbox row. Each later step's WHERE counts ALL rows
 * of the step before (an InitPlan), so every earlier lock is taken before the next row is touched.
 * In READ COMMITTED a row FOR UPDATE that waited is re-read at its newest version (EvalPlanQual),
 * so the flags computed from it are the committed ones, as with the separate SELECT ... FOR UPDATE.
 */

/**
 * Flag changes and expunges commit without waiting for the WAL flush (the lead's decision, issue 11;
 * ARCHITECTURE.md "IMAP"): `synchronous_commit = off` for the statement's own transaction only
 * (set_config(..., true) is SET LOCAL: it ends with that transaction and never reaches the pooled
 * connection's next user, so APPEND and delivery keep waiting for their flush, DESIGN invariant 1).
 * Dovecot's default mail_fsync = optimized does not fsync flag changes or expunges either. A crash
 * can forget the last fraction of a second of them (wal_writer_delay × 3 at most), never half of
 * one and never a message; a later synchronous commit (an APPEND) flushes every earlier one with it.
 * Measured on the project machine under load: ~1 ms less per STORE.
 * The CTE is read by the first step's WHERE as a constant (a one-time filter), so it runs first.
 */
const ASYNC_COMMIT = `durability AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true) AS v)`;
const AFTER_ASYNC_COMMIT = `(SELECT v FROM durability) IS NOT NULL`;

/**
 * STORE and EXPUNGE keep the mailbox's message and unseen counts in their own UPDATE of the mailbox
 * row (the modseq allocation, which they make anyway), and say so to the count triggers on
 * `messages` for this one statement (migration 20261216100000_counts_kept_by_statements): the
 * mailbox counts always, the keyword counts when `keywordRows` (a FROM ... WHERE of this
 * statement's rows that carry a keyword before or after) is empty, as nothing keyword-counted
 * changes then. The marker is read in the WHERE of the UPDATE that counts (a row it changed had
 * the marker set) and once more in the main query, so that a statement that changes nothing skips
 * the triggers too. A trigger that finds no marker counts as before, so a marker not set costs
 * time, never correctness.
 */
const countsKept = (op: 'UPDATE' | 'DELETE', keywordRows: string) => `kept AS MATERIALIZED (
  SELECT set_config('correio.mailbox_counts_kept', '${op}', true) AS m,
         set_config('correio.keyword_counts_kept', CASE WHEN EXISTS (SELECT 1 FROM ${keywordRows}) THEN '' ELSE '${op}' END, true) AS k
)`;
const COUNTS_KEPT = `(SELECT m FROM kept) IS NOT NULL`;

export interface StoreRow extends FlagState {
  uid: number;
  /** The row's modseq before the statement (an unchanged or UNCHANGEDSINCE-refused row keeps it). */
  modseq: string;
  /** Refused by UNCHANGEDSINCE (RFC 7162 §3.1.3). */
  modified: boolean;
  /** Its flags changed: `modseq` of the statement applies (newModseq). */
  changed: boolean;
  newModseq: string | null;
}

/** New value of a system flag column under STORE FLAGS / +FLAGS / -FLAGS (RFC 9051 §6.4.6), as applyFlags. */
const sys = (col: string, param: string) =>
  `CASE $4::text WHEN 'replace' THEN ${param}::boolean WHEN 'add' THEN c.${col} OR ${param}::boolean ELSE c.${col} AND NOT ${param}::boolean END`;

/**
 * Keywords as applyFlags (imap-flags.ts): case-insensitive, the first spelling kept, order kept.
 * $10 is parseFlags' list (already without case duplicates).
 */
const KEYWORDS = `CASE $4::text
    WHEN 'replace' THEN $10::text[]
    WHEN 'add' THEN c.keywords || ARRAY(SELECT k FROM unnest($10::text[]) WITH ORDINALITY AS a(k, i)
                                         WHERE lower(k) NOT IN (SELECT lower(x) FROM unnest(c.keywords) AS x) ORDER BY i)
    ELSE ARRAY(SELECT x FROM unnest(c.keywords) WITH ORDINALITY AS a(x, i)
                WHERE lower(x) NOT IN (SELECT lower(k) FROM unnest($10::text[]) AS k) ORDER BY i)
  END`;

/** sameFlags (imap-flags.ts) in SQL: the system flags equal and the keywords equal as case-insensitive sets. */
const SAME = `n.seen = c.seen AND n.answered = c.answered AND n.flagged = c.flagged AND n.deleted = c.deleted AND n.draft = c.draft
    AND cardinality(n.keywords) = cardinality(c.keywords)
    AND NOT EXISTS (SELECT 1 FROM unnest(c.keywords) AS o WHERE lower(o) NOT IN (SELECT lower(x) FROM unnest(n.keywords) AS x))`;

/**
 * A STORE that names no keyword ($10 empty: +FLAGS (\\Seen), +FLAGS (\\Deleted), what clients send
 * nearly always) leaves the keywords as they are, or empties them (FLAGS, replace): the same results
 * without the four subqueries above, each a SubPlan PostgreSQL sets up on every execution whether
 * it runs or not: a STORE of one UID cost the backend ~0.20 ms of CPU with them, ~0.15 ms without
 * (bench/README.md, branch mixed12).
 */
const NO_KEYWORDS = `CASE $4::text WHEN 'replace' THEN $10::text[] ELSE c.keywords END`;
const SAME_NO_KEYWORDS = `n.seen = c.seen AND n.answered = c.answered AND n.flagged = c.flagged AND n.deleted = c.deleted AND n.draft = c.draft
    AND cardinality(n.keywords) = cardinality(c.keywords)`;

/** The new flags of each locked row and whether they change (UNCHANGEDSINCE: `modified` rows are refused). */
const calcOf = (keywords: boolean) => `
  SELECT c.id, c.uid, c.modseq, n.seen, n.answered, n.flagged, n.deleted, n.draft, n.keywords,
         ($11::bigint IS NOT NULL AND c.modseq > $11::bigint) AS modified,
         NOT ($11::bigint IS NOT NULL AND c.modseq > $11::bigint) AND NOT (${keywords ? SAME : SAME_NO_KEYWORDS}) AS changed,
         c.seen AS o_seen, c.answered AS o_answered, c.flagged AS o_flagged, c.deleted AS o_deleted, c.draft AS o_draft, c.keywords AS o_keywords
    FROM cur c CROSS JOIN LATERAL (
      SELECT ${sys('seen', '$5')} AS seen, ${sys('answered', '$6')} AS answered, ${sys('flagged', '$7')} AS flagged,
             ${sys('deleted', '$8')} AS deleted, ${sys('draft', '$9')} AS draft, ${keywords ? KEYWORDS : NO_KEYWORDS} AS keywords
    ) n`;

const FLAG_ROW = 'm.id, m.uid, m.modseq, m.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords';

const storeSql = (uidMatch: string, keywords: boolean) => `
WITH ${ASYNC_COMMIT}, cur AS MATERIALIZED (
  SELECT ${FLAG_ROW} FROM messages m
   WHERE m.account_id = $1 AND m.mailbox_id = $2 AND ${uidMatch} AND ${AFTER_ASYNC_COMMIT}
   ORDER BY m.id FOR UPDATE
), calc AS MATERIALIZED (${calcOf(keywords)}
), ${countsKept('UPDATE', 'calc WHERE changed AND (cardinality(keywords) > 0 OR cardinality(o_keywords) > 0)')}, alloc AS (
  UPDATE mailboxes SET highest_modseq = highest_modseq + 1,
         unseen_count = unseen_count + (SELECT count(*) FILTER (WHERE NOT seen) - count(*) FILTER (WHERE NOT o_seen) FROM calc WHERE changed)::int
   WHERE account_id = $1 AND id = $2 AND (SELECT count(*) FROM calc WHERE changed) > 0 AND ${COUNTS_KEPT}
  RETURNING highest_modseq
), upd AS (
  UPDATE messages m SET seen = c.seen, answered = c.answered, flagged = c.flagged, deleted = c.deleted, draft = c.draft,
         keywords = c.keywords, modseq = a.highest_modseq
    FROM calc c, alloc a
   WHERE m.account_id = $1 AND m.id = c.id AND c.changed
)
SELECT c.uid, c.modseq, c.modified, c.changed, (SELECT highest_modseq FROM alloc) AS "newModseq",
       CASE WHEN c.modified THEN c.o_seen ELSE c.seen END AS seen,
       CASE WHEN c.modified THEN c.o_answered ELSE c.answered END AS answered,
       CASE WHEN c.modified THEN c.o_flagged ELSE c.flagged END AS flagged,
       CASE WHEN c.modified THEN c.o_deleted ELSE c.deleted END AS deleted,
       CASE WHEN c.modified THEN c.o_draft ELSE c.draft END AS draft,
       CASE WHEN c.modified THEN c.o_keywords WHEN c.changed THEN c.keywords ELSE c.o_keywords END AS keywords
  FROM calc c WHERE ${COUNTS_KEPT} ORDER BY c.uid`;

/** STORE of any UID list ($3). */
export const STORE_SQL = storeSql('m.uid = ANY($3::int[])', true);
/** STORE_SQL when the command names no keyword (NO_KEYWORDS). */
export const STORE_NO_KEYWORDS_SQL = storeSql('m.uid = ANY($3::int[])', false);

/**
 * STORE of ONE UID ($3 holds it alone): what a client sends when the user reads, flags or deletes
 * the message on screen, and UID STORE after APPEND. The same statement with the UID compared as a
 * scalar, so that PostgreSQL keeps a generic plan for it. With `uid = ANY($3)` the generic plan
 * (planned without the values) assumes a 10-element array: estimated cost 141 against 26 for the
 * custom plan of one UID, so after its five trial custom plans the plan cache kept choosing a custom
 * plan and planned this statement again on every execution (pg_prepared_statements: custom_plans
 * only, generic_plans 0) — ~0.35 ms of PostgreSQL CPU per STORE out of ~0.55. Compared as
 * `($3)[1]`, the generic plan is estimated as the custom one (one row by the unique key
 * (account_id, mailbox_id, uid)) and is kept from the sixth execution on: ~0.2 ms per STORE.
 */
export const STORE_ONE_SQL = storeSql('m.uid = ($3::int[])[1]', true);
/** STORE_ONE_SQL when the command names no keyword (NO_KEYWORDS). */
export const STORE_ONE_NO_KEYWORDS_SQL = storeSql('m.uid = ($3::int[])[1]', false);

function storeStatement(isOne: boolean, hasKeywords: boolean): string {
  if (isOne) return hasKeywords ? STORE_ONE_SQL : STORE_ONE_NO_KEYWORDS_SQL;
  return hasKeywords ? STORE_SQL : STORE_NO_KEYWORDS_SQL;
}

/**
 * RFC 9051 §6.4.6 STORE (RFC 7162 §3.1.3 UNCHANGEDSINCE) in one statement; one new modseq when
 * anything changed. Its commit does not wait for the WAL flush (ASYNC_COMMIT).
 */
export async function storeFlagsStatement(
  q: Queryable,
  features: DbFeatures,
  p: {
    accountId: string;
    mailboxId: string;
    uids: number[];
    op: 'replace' | 'add' | 'remove';
    system: Set<keyof Omit<FlagState, 'keywords'>>;
    keywords: string[];
    unchangedSince?: bigint;
  },
): Promise<StoreRow[]> {
  const { rows } = await q.query<StoreRow>({
    ...preparedQuery(features, storeStatement(p.uids.length === 1, p.keywords.length > 0)),
    values: [
      p.accountId,
      p.mailboxId,
      p.uids,
      p.op,
      p.system.has('seen'),
      p.system.has('answered'),
      p.system.has('flagged'),
      p.system.has('deleted'),
      p.system.has('draft'),
      p.keywords,
      p.unchangedSince === undefined ? null : p.unchangedSince.toString(),
    ],
  });
  return rows;
}

export const EXPUNGE_SQL = `
WITH ${ASYNC_COMMIT}, cur AS MATERIALIZED (
  SELECT m.id, m.uid, m.size, m.blob_id, m.seen, m.keywords FROM messages m
   WHERE m.account_id = $1 AND m.mailbox_id = $2 AND ($3::int[] IS NULL OR m.uid = ANY($3::int[])) AND m.deleted
     AND ${AFTER_ASYNC_COMMIT}
   ORDER BY m.id FOR UPDATE
), n AS (
  SELECT count(*) AS k, (count(*) FILTER (WHERE NOT seen))::int AS unseen, COALESCE(sum(size), 0)::bigint AS bytes FROM cur
), acct AS (
  UPDATE accounts a SET used_bytes = GREATEST(a.used_bytes - n.bytes, 0) FROM n WHERE a.id = $1 AND n.k > 0
  RETURNING a.id
), ${countsKept('DELETE', 'cur WHERE cardinality(keywords) > 0')}, alloc AS (
  UPDATE mailboxes SET highest_modseq = highest_modseq + 1,
         message_count = message_count - (SELECT k FROM n)::int, unseen_count = unseen_count - (SELECT unseen FROM n)
   WHERE account_id = $1 AND id = $2 AND (SELECT count(*) FROM acct) > 0 AND ${COUNTS_KEPT}
  RETURNING highest_modseq
), del AS (
  DELETE FROM messages m USING cur c WHERE m.account_id = $1 AND m.id = c.id
), tomb AS (
  INSERT INTO expunged (account_id, mailbox_id, uid, modseq) SELECT $1, $2, c.uid, a.highest_modseq FROM cur c, alloc a
  ON CONFLICT (account_id, mailbox_id, uid) DO UPDATE SET modseq = EXCLUDED.modseq
), released AS (
  -- DO UPDATE, not DO NOTHING: it locks a candidate already there (another expunge of a copy), so a
  -- reaper cannot claim it while this expunge is uncommitted, see this row still referenced, drop
  -- the candidate and leave the blob behind for ever (SKIP LOCKED passes it; a reaper that claimed
  -- it first makes this wait, then insert anew).
  INSERT INTO released_blobs (account_id, blob_id) SELECT DISTINCT $1::bigint, c.blob_id FROM cur c, alloc a
  ON CONFLICT (account_id, blob_id) DO UPDATE SET released_at = EXCLUDED.released_at
)
SELECT (SELECT ${uidBytesAgg('uid')} FROM cur) AS uids,
       (SELECT highest_modseq FROM alloc) AS modseq,
       (SELECT b.highest_modseq FROM mailboxes b WHERE b.account_id = $1 AND b.id = $2) AS "currentModseq"
 WHERE ${COUNTS_KEPT}`;

/**
 * EXPUNGE / UID EXPUNGE (RFC 9051 §6.4.3, RFC 4315 §2.1) of the \Deleted rows, usage released,
 * tombstones left (RFC 7162 VANISHED), in ONE statement, autocommitted: the whole command is one
 * round trip. The blobs are NOT deleted here: whether another row still refers to one must be asked
 * by a later statement, whose snapshot sees copies committed while this one waited for its row
 * locks (a COPY holding a source row FOR UPDATE commits before this DELETE gets the row). So each
 * expunged blob is recorded in released_blobs, in this statement (atomic with the expunge), and the
 * blob reaper (imap-blob-reaper.ts) asks and deletes after this commit.
 * `modseq` is null when nothing was expunged (`currentModseq` is the mailbox's, for the tagged OK).
 * Commits without waiting for the WAL flush (ASYNC_COMMIT).
 */
export async function expungeStatement(
  q: Queryable,
  features: DbFeatures,
  accountId: string,
  mailboxId: string,
  uids: number[] | undefined,
): Promise<{ uids: number[]; modseq: string | null; currentModseq: string | null }> {
  const { rows } = await q.query<{ uids: Buffer | null; modseq: string | null; currentModseq: string | null }>({
    ...preparedQuery(features, EXPUNGE_SQL),
    values: [accountId, mailboxId, uids ?? null],
  });
  const r = rows[0];
  return r
    ? { uids: decodeUidBytes(r.uids), modseq: r.modseq, currentModseq: r.currentModseq }
    : { uids: [], modseq: null, currentModseq: null };
}
