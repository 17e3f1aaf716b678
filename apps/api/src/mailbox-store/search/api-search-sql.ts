import type { SearchNode } from '@correio/search-query';
import { likePattern } from './search-sql.js';

/**
 * Compiles a webmail/REST search tree (@correio/search-query, Gmail's operators) into ONE SQL
 * condition on `messages m`, every value a bind parameter ($1 is the account; the rest are pushed
 * onto `params`). Never a user string in the statement text.
 *
 * Text (free words, "phrases", from:/to:/cc:/subject:) keeps the IMAP search's meaning and index:
 * a case-insensitive substring of message_text (header text + decoded body, lower-cased), found
 * through the trigram GIN index with `LIKE '%v%'`, rechecked on one header field by a regular
 * expression on the header part; rows the indexer has not moved yet are read from
 * message_text_pending (the same UNION ALL as search-sql.ts). Gmail matches whole words; a
 * substring finds a little more ("report" also finds "reports"), never less.
 *
 * Dates are days in UTC (the internal date, when the message arrived): after:D is on or after D
 * 00:00 UTC, before:D before D 00:00 UTC — Gmail's meaning in its own zone.
 */
export function compileApiSearch(node: SearchNode, params: unknown[]): string {
  const bind = (v: unknown) => `$${params.push(v)}`;
  const textRows = (cond: string) =>
    `m.blob_id IN (SELECT t.blob_id FROM message_text t WHERE t.account_id = $1 AND ${cond}` +
    ` UNION ALL SELECT t.blob_id FROM message_text_pending t WHERE t.account_id = $1 AND ${cond})`;
  const mailboxesWhere = (cond: string) => `m.mailbox_id IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND ${cond})`;
  const walk = (n: SearchNode): string => {
    switch (n.type) {
      case 'and':
        return n.children.length === 0 ? 'TRUE' : `(${n.children.map(walk).join(' AND ')})`;
      case 'or':
        return `(${n.children.map(walk).join(' OR ')})`;
      case 'not':
        return `NOT COALESCE(${walk(n.child)}, false)`;
      case 'text':
        return n.value.trim() === '' ? 'TRUE' : textRows(`t.content LIKE ${bind(likePattern(n.value))}`);
      case 'field': {
        const v = n.value.toLowerCase();
        if (n.field === 'filename') {
          return `EXISTS (SELECT 1 FROM jsonb_array_elements(m.attachments) a WHERE strpos(lower(a->>'filename'), ${bind(v)}) > 0)`;
        }
        // The field's own line of the unfolded header text ("from: bruna <bruna@…>"), RFC 2047 decoded.
        const regex = `(^|\\n)${n.field}[ \\t]*:[^\\n]*${escapeRegex(v)}`;
        return textRows(`t.content LIKE ${bind(likePattern(v))} AND left(t.content, t.header_length) ~ ${bind(regex)}`);
      }
      case 'has':
        return 'm.has_attachments';
      case 'is':
        return n.what === 'unread' ? 'NOT m.seen' : n.what === 'read' ? 'm.seen' : 'm.flagged';
      case 'in': {
        const name = n.mailbox.toLowerCase();
        if (name === 'anywhere' || name === 'all') return 'TRUE';
        const use = SPECIAL_NAMES[name];
        return mailboxesWhere(`(lower(b.name) = ${bind(name)}${use ? ` OR b.special_use::text = ${bind(use)}` : ''})`);
      }
      case 'label': {
        // Labels are IMAP keywords (case-insensitive, RFC 9051 §2.3.2); Gmail's label: also names folders.
        const name = bind(n.name.toLowerCase());
        return `(EXISTS (SELECT 1 FROM unnest(m.keywords) kw WHERE lower(kw) = ${name}) OR ${mailboxesWhere(`lower(b.name) = ${name}`)})`;
      }
      case 'date':
        return `m.internal_date ${n.op === 'after' ? '>=' : '<'} (${bind(n.date)}::date::timestamp AT TIME ZONE 'UTC')`;
      case 'size':
        return `m.size ${n.op === 'larger' ? '>' : '<'} ${bind(n.bytes)}`;
    }
  };
  return walk(node);
}

/** in: names Gmail users type for the special-use mailboxes (RFC 6154). */
const SPECIAL_NAMES: Record<string, string> = {
  inbox: 'inbox',
  sent: 'sent',
  drafts: 'drafts',
  draft: 'drafts',
  trash: 'trash',
  bin: 'trash',
  spam: 'junk',
  junk: 'junk',
  archive: 'archive',
};

/**
 * True when the query itself asks for Trash or Junk (a positive in:trash, in:spam, in:anywhere):
 * only then are they searched, as in Gmail. A negated `-in:trash` asks for nothing.
 */
export function mentionsTrashOrJunk(node: SearchNode, negated = false): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.some((c) => mentionsTrashOrJunk(c, negated));
    case 'not':
      return mentionsTrashOrJunk(node.child, !negated);
    case 'in': {
      const name = node.mailbox.toLowerCase();
      const use = SPECIAL_NAMES[name];
      return !negated && (name === 'anywhere' || name === 'all' || use === 'trash' || use === 'junk');
    }
    default:
      return false;
  }
}

/** True when the tree reads message_text (free text or a header field), so pending rows must be complete first. */
export function usesText(node: SearchNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.some(usesText);
    case 'not':
      return usesText(node.child);
    case 'text':
      return true;
    case 'field':
      return node.field !== 'filename';
    default:
      return false;
  }
}

/** In PostgreSQL's regular expressions a backslash before a non-alphanumeric character makes it literal. */
function escapeRegex(s: string): string {
  return s.replace(/[^\p{L}\p{N} ]/gu, '\\$&');
}
