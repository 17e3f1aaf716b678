/**
 * A filter as the settings form edits it, and as Sieve (RFC 5228) expresses it: conditions combined
 * with all/any (allof/anyof), then actions in order. Folder and label names are what the user sees;
 * the delivery path resolves them to mailboxes and IMAP keywords.
 */
export type MatchOp = 'contains' | 'is' | 'matches';

export type Condition =
  /** The From address (Sieve `address "from"`). */
  | { field: 'from'; op: MatchOp; value: string }
  /** Any To or Cc address (Sieve `address ["to","cc"]`). */
  | { field: 'toCc'; op: MatchOp; value: string }
  | { field: 'subject'; op: MatchOp; value: string }
  /** Any header by name (Sieve `header "Name"`). */
  | { field: 'header'; name: string; op: MatchOp; value: string }
  /** Message size in bytes (Sieve `size :over/:under`). */
  | { field: 'size'; op: 'over' | 'under'; value: number }
  /** At least one attachment (Sieve `header :mime :anychild "Content-Disposition" "attachment"`, RFC 5703). */
  | { field: 'hasAttachment' };

export type Action =
  /** fileinto (RFC 5228 §4.1): the copy goes to this folder instead of INBOX. */
  | { kind: 'move'; folder: string }
  /** addflag with a keyword (RFC 5232): the webmail's label. */
  | { kind: 'label'; label: string }
  /** addflag "\\Seen" */
  | { kind: 'markRead' }
  /** addflag "\\Flagged" */
  | { kind: 'star' }
  /** redirect :copy (RFC 3894): a copy goes to this address; the local copy stays unless deleted. */
  | { kind: 'forward'; address: string }
  /** discard (RFC 5228 §4.5). Correio keeps the copy in Trash instead of dropping it (Gmail's "Delete it"). */
  | { kind: 'delete' }
  /** stop (RFC 5228 §3.3): later filters are not evaluated. */
  | { kind: 'stop' };

export interface Rule {
  name: string;
  enabled: boolean;
  match: 'all' | 'any';
  conditions: Condition[];
  actions: Action[];
}

/** The vacation responder as Sieve's vacation action (RFC 5230) carries it, plus its dates. */
export interface VacationSettings {
  enabled: boolean;
  subject: string;
  message: string;
  /** RFC 5230 §4.1 :days — at most one reply per sender in this many days (default 7). */
  days: number;
  startsAt: Date | null;
  endsAt: Date | null;
}

/** What a message looks like to the filters: the store's summary plus its header fields. */
export interface MessageFacts {
  from: string;
  /** To and Cc addresses. */
  toCc: string[];
  subject: string;
  /** Lower-case header name → decoded values, in message order. */
  headers: Map<string, string[]>;
  size: number;
  hasAttachment: boolean;
}

/** Where and how one account's copy is stored, and what else it causes. */
export interface Placement {
  /** undefined: INBOX. 'trash' after a delete action. */
  folder?: string;
  deleted: boolean;
  seen: boolean;
  flagged: boolean;
  labels: string[];
  forwards: string[];
}
