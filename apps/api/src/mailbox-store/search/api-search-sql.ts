import type { SearchNode } from '@correio/search-query';
import { likePattern } from './search-sql.js';

/**
 * Compiles a webmail/REST search tree (@correio/search-query, Gmail's operators) into SQL conditions
 * on `messages m`, every value a bind parameter ($1 is the account; the rest are pushed onto
 * `params`). Never a user string in the statement text.
 *
 * Text (free words, "phrases", from:/to:/cc:/subject:) keeps the IMAP search's meaning: a
 * case-insensitive substring of message_text (header text + decoded body, lower-cased), a header
 * field rechecked by a regular expression on the header part, and rows the indexer has not moved
 * yet read from message_text_pending. Gmail matches whole words; a substring finds a little more
 * ("report" also finds "reports"), never less. Here each text leaf is a per-row probe of the text
 * row by its primary key (account_id, blob_id): cheap on the rows an ordered walk reaches; the
 * statement (message-search.service.ts) drives a selective text term from the trigram index instead.
 *
 * Dates are days in UTC (the internal date, when the message arrived): after:D is on or after D
 * 00:00 UTC, before:D before D 00:00 UTC — Gmail's meaning in its own zone.
 *
 * `replace` swaps whole subtrees (by identity) for a ready condition (the driving term, answered by
 * the candidate set).
 */
export function compileApiSearch(node: SearchNode, params: unknown[], replace?: Map<SearchNode, string>): string {
  const bind = (v: unknown) => `$${params.push(v)}`;
  // A scalar subquery, not EXISTS: PostgreSQL may turn an EXISTS into one hashed set of every
  // matching row (its estimate of LIKE '%v%' on long text is useless), reading thousands of text
  // rows to answer a walk that needs a few dozen. The pending row is read only without an indexed one.
  const probe = (cond: string) =>
    `COALESCE((SELECT ${cond} FROM message_text t WHERE t.account_id = $1 AND t.blob_id = m.blob_id),` +
    ` (SELECT ${cond} FROM message_text_pending t WHERE t.account_id = $1 AND t.blob_id = m.blob_id), false)`;
  const mailboxesWhere = (cond: string) => `m.mailbox_id IN (SELECT b.id FROM mailboxes b WHERE b.account_id = $1 AND ${cond})`;
  const walk = (n: SearchNode): string => {
    const ready = replace?.get(n);
    if (ready !== undefined) return ready;
    switch (n.type) {
      case 'and':
        return n.children.length === 0 ? 'TRUE' : `(${n.children.map(walk).join(' AND ')})`;
      case 'or':
        return `(${n.children.map(walk).join(' OR ')})`;
      case 'not':
        return `NOT COALESCE(${walk(n.child)}, false)`;
      case 'text':
        return n.value.trim() === '' ? 'TRUE' : probe(textCondition(n, bind));
      case 'field': {
        if (n.field === 'filename') {
          return `EXISTS (SELECT 1 FROM jsonb_array_elements(m.attachments) a WHERE strpos(lower(a->>'filename'), ${bind(n.value.toLowerCase())}) > 0)`;
        }
        return probe(textCondition(n, bind));
      }
      case 'has':
        return 'm.has_attachments';
      case 'is':
        return n.what === 'unread' ? 'NOT m.seen' : n.what === 'read' ? 'm.seen' : 'm.flagged';
      case 'in': {
        const named = mailboxCondition(n, bind);
        return named === 'TRUE' ? named : mailboxesWhere(named);
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

type TextLeaf = Extract<SearchNode, { type: 'text' | 'field' }>;

/**
 * The condition on a text row `t` for a text leaf (or an OR of them): LIKE '%v%' (the trigram GIN
 * index (account_id, content) answers it), and for a header field its own line of the unfolded
 * header text ("from: bruna <bruna@…>", RFC 2047 decoded).
 */
export function textCondition(n: SearchNode, bind: (v: unknown) => string): string {
  if (n.type === 'or') return `(${n.children.map((c) => textCondition(c, bind)).join(' OR ')})`;
  const leaf = n as TextLeaf;
  const v = leaf.value.toLowerCase();
  // Under 3 characters a value has no trigram: LIKE would only tempt the planner into reading the
  // whole trigram index. strpos is the same substring test, done on the rows as they are read.
  const like = [...v].length < TRIGRAM ? `strpos(t.content, ${bind(v)}) > 0` : `t.content LIKE ${bind(likePattern(v))}`;
  if (leaf.type === 'text') return like;
  const regex = `(^|\\n)${leaf.field}[ \\t]*:[^\\n]*${escapeRegex(v)}`;
  return `${like} AND left(t.content, t.header_length) ~ ${bind(regex)}`;
}

const isTextLeaf = (n: SearchNode): boolean =>
  (n.type === 'text' && n.value.trim() !== '') || (n.type === 'field' && n.field !== 'filename' && n.value !== '');

/** Characters in a trigram: shorter values cannot be looked up in the trigram index. */
const TRIGRAM = 3;

/**
 * The term a search is driven from: a text leaf (or an OR of text leaves) every match must satisfy
 * — a child of the top-level AND, or the query itself. The longest value wins (more trigrams,
 * usually fewer rows). Undefined when there is none (no text, or text only under NOT or mixed into
 * an OR with other operators).
 *
 * A value of 1–2 characters drives too, though no trigram finds it: its candidates come from ONE
 * pass over the account's text rows (strpos on each, stopping at the cap), which is what a rare
 * short term needs — the alternative, walking the mail newest first with a text probe per message,
 * reads every message AND its text row by key before it can say "no more" (measured: 1.4 s on
 * 100,000 messages for "zq"). A common short term is caught by the statement's sample first and
 * walks newest first, as before.
 */
export function drivingTerm(node: SearchNode): SearchNode | undefined {
  const candidates = (node.type === 'and' ? node.children : [node]).filter(
    (c) => isTextLeaf(c) || (c.type === 'or' && c.children.every(isTextLeaf)),
  );
  return candidates.sort((a, b) => termWeight(b) - termWeight(a))[0];
}

/** The shortest value of a driving term, in characters (an OR is as weak as its weakest child). */
function termWeight(c: SearchNode): number {
  return c.type === 'or' ? Math.min(...c.children.map(termWeight)) : [...(c as TextLeaf).value].length;
}

/** The condition on a mailbox `b` that an in: term names (TRUE for in:anywhere). */
export function mailboxCondition(n: Extract<SearchNode, { type: 'in' }>, bind: (v: unknown) => string): string {
  const name = n.mailbox.toLowerCase();
  if (name === 'anywhere' || name === 'all') return 'TRUE';
  const use = SPECIAL_NAMES[name];
  return `(lower(b.name) = ${bind(name)}${use ? ` OR b.special_use::text = ${bind(use)}` : ''})`;
}

/** The positive in: terms every match must satisfy (children of the top-level AND, or the query itself). */
export function requiredMailboxTerms(node: SearchNode): Extract<SearchNode, { type: 'in' }>[] {
  return (node.type === 'and' ? node.children : [node]).filter((c): c is Extract<SearchNode, { type: 'in' }> => c.type === 'in');
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
