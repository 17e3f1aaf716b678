/**
 * The search query as a tree. Leaves are what one Gmail operator (or a bare word) asks; `and`, `or`
 * and `not` combine them. Values are kept as written (case is the matcher's business: every
 * comparison in Correio's search is case-insensitive).
 */
export type SearchNode =
  | { type: 'and'; children: SearchNode[] }
  | { type: 'or'; children: SearchNode[] }
  | { type: 'not'; child: SearchNode }
  /** Free text: a word or a "quoted phrase", anywhere in the header or body. */
  | { type: 'text'; value: string; phrase: boolean }
  /** from:, to:, cc:, subject:, filename: — a substring of that field (or of an attachment's name). */
  | { type: 'field'; field: SearchField; value: string; phrase: boolean }
  | { type: 'has'; what: 'attachment' }
  | { type: 'is'; what: 'unread' | 'read' | 'starred' }
  /** in:<folder>: a special-use name (inbox, sent, drafts, trash, spam/junk, archive), `anywhere`, or a folder name. */
  | { type: 'in'; mailbox: string }
  /** label:<name>: an IMAP keyword (labels are keywords, so IMAP clients see them). */
  | { type: 'label'; name: string }
  /**
   * before:/after: — a calendar day "YYYY-MM-DD". Gmail's meaning: after:D is on or after D,
   * before:D is before D (so after:D before:D+1 is the one day D).
   */
  | { type: 'date'; op: 'before' | 'after'; date: string }
  /** larger:/smaller: (size: is larger:) — bytes, from "10K", "5M", "2000". */
  | { type: 'size'; op: 'larger' | 'smaller'; bytes: number };

export type SearchField = 'from' | 'to' | 'cc' | 'subject' | 'filename';

/** A query that does not parse: what is wrong and where (0-based offset in the query, UTF-16 units). */
export interface SearchSyntaxError {
  message: string;
  position: number;
}

export type ParseResult = { ok: true; query: SearchNode } | { ok: false; error: SearchSyntaxError };
