import { MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import type { FetchLineItem } from '../imap-store.types.js';

/**
 * FETCH's fast path (RFC 9051 §7.5.2): the text inside "* n FETCH (...)" built by PostgreSQL from
 * the row and the kept wire forms (message_structures.*_imap, libs/imap-protocol wireForms), so
 * Node reads one short string per message instead of flag columns and JSON to encode. The SQL
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
function kept(column: string, utf8: boolean): string {
  const form = utf8 ? `COALESCE(s.${column}_utf8, s.${column})` : `s.${column}`;
  return `CASE WHEN s.version >= ${Number(MESSAGE_STRUCTURE_VERSION)} THEN ${form} END`;
}

function itemSql(item: FetchLineItem, utf8: boolean): string {
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
      return `'ENVELOPE ' || ${kept('envelope_imap', utf8)}`;
    case 'BODY':
      return `'BODY ' || ${kept('body_imap', utf8)}`;
    case 'BODYSTRUCTURE':
      return `'BODYSTRUCTURE ' || ${kept('bodystructure_imap', utf8)}`;
    case 'MODSEQ':
      return `'MODSEQ (' || m.modseq || ')'`;
  }
}

const NEEDS_STRUCTURE = new Set<FetchLineItem>(['ENVELOPE', 'BODY', 'BODYSTRUCTURE']);

/**
 * The statement: $1 account, $2 mailbox, $3 UIDs; $4 CHANGEDSINCE when given (rows at or below it
 * come back with text '' so the caller still sees they exist). Items in the order given.
 */
export function fetchLinesSql(items: readonly FetchLineItem[], options: { utf8: boolean; changedSince: boolean }): string {
  const text = items.map((i) => itemSql(i, options.utf8)).join(` || ' ' || `);
  const line = options.changedSince ? `CASE WHEN m.modseq > $4 THEN ${text} ELSE '' END` : text;
  const join = items.some((i) => NEEDS_STRUCTURE.has(i))
    ? 'LEFT JOIN message_structures s ON s.account_id = m.account_id AND s.blob_id = m.blob_id'
    : '';
  const keywords = items.includes('FLAGS') ? ', CASE WHEN cardinality(m.keywords) > 0 THEN m.keywords END AS keywords' : '';
  return `SELECT m.uid, m.modseq${keywords}, ${line} AS text FROM messages m ${join}
           WHERE m.account_id = $1 AND m.mailbox_id = $2 AND m.uid = ANY($3::int[]) ORDER BY m.uid`;
}
