/**
 * The typed form of every IMAP command the server accepts (RFC 3501, RFC 9051 and the extensions
 * listed in capabilities.ts). The parser (parse-command.ts) produces these; the server's command
 * handlers consume them. Nothing here knows about sockets or storage.
 *
 * Conventions: mailbox names are decoded (UTF-8; modified UTF-7 already undone when the session has
 * not ENABLEd UTF8=ACCEPT / IMAP4rev2 — the parser is told which via ParseContext), INBOX is spelled
 * "INBOX" whatever case the client used (RFC 9051 §5.1). Flags keep the client's spelling of
 * keywords; system flags are normalised to their canonical case ("\Seen").
 */

/** One range of a sequence set; '*' is "the largest number in use" (RFC 9051 §9 seq-number). */
export interface SeqRange {
  start: number | '*';
  end: number | '*';
}

/** A sequence set, or "$": the result saved by SEARCHRES (RFC 5182). */
export type SequenceSet = { kind: 'ranges'; ranges: SeqRange[] } | { kind: 'saved' };

/** RFC 9051 §6.4.4 search keys (plus CONDSTORE MODSEQ, RFC 7162 §3.1.5, and WITHIN, RFC 5032). */
export type SearchKey =
  | { type: 'all' }
  | { type: 'and'; keys: SearchKey[] }
  | { type: 'or'; left: SearchKey; right: SearchKey }
  | { type: 'not'; key: SearchKey }
  /** A bare sequence set (message sequence numbers). */
  | { type: 'seq'; set: SequenceSet }
  | { type: 'uid'; set: SequenceSet }
  /** SEEN/UNSEEN, ANSWERED/…, DELETED, DRAFT, FLAGGED; RECENT/NEW/OLD map to \Recent. */
  | { type: 'flag'; flag: '\\Seen' | '\\Answered' | '\\Deleted' | '\\Draft' | '\\Flagged' | '\\Recent'; isSet: boolean }
  | { type: 'keyword'; keyword: string; isSet: boolean }
  /** NEW = RECENT UNSEEN; OLD = NOT RECENT (kept as their own keys so the store can decide \Recent). */
  | { type: 'new' }
  | { type: 'old' }
  /** BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date: header). date is YYYY-MM-DD. */
  | { type: 'date'; field: 'internal' | 'sent'; op: 'before' | 'on' | 'since'; date: string }
  /** OLDER/YOUNGER n (RFC 5032): internal date relative to now, in seconds. */
  | { type: 'within'; op: 'older' | 'younger'; seconds: number }
  | { type: 'size'; op: 'larger' | 'smaller'; bytes: number }
  /** FROM/TO/CC/BCC/SUBJECT become header keys; HEADER field "" matches any message having the field. */
  | { type: 'header'; field: string; value: string }
  /** BODY: substring of the body; TEXT: substring of header or body (RFC 9051 §6.4.4). Case-insensitive. */
  | { type: 'body'; value: string }
  | { type: 'text'; value: string }
  | { type: 'modseq'; modseq: bigint };

/** ESEARCH return options (RFC 4731) and SAVE (RFC 5182). Empty array = plain SEARCH response. */
export type SearchReturn = 'MIN' | 'MAX' | 'ALL' | 'COUNT' | 'SAVE';

/** BODY[section] (RFC 9051 §6.4.5): part path (empty = whole message) and an optional text specifier. */
export interface SectionSpec {
  part: number[];
  text?: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** Upper-cased field names for HEADER.FIELDS (.NOT). */
  fields?: string[];
}

export interface Partial {
  offset: number;
  length: number;
}

/** FETCH data items after macro expansion (ALL/FAST/FULL, RFC 9051 §6.4.5). */
export type FetchItem =
  | { type: 'UID' }
  | { type: 'FLAGS' }
  | { type: 'INTERNALDATE' }
  | { type: 'RFC822.SIZE' }
  | { type: 'ENVELOPE' }
  | { type: 'BODYSTRUCTURE' }
  /** BODY with no section: the non-extensible BODYSTRUCTURE. */
  | { type: 'BODY' }
  | { type: 'MODSEQ' }
  /** RFC822 = BODY[] (sets \Seen), RFC822.HEADER = BODY.PEEK[HEADER], RFC822.TEXT = BODY[TEXT]; kept so the response uses the same name. */
  | { type: 'RFC822' }
  | { type: 'RFC822.HEADER' }
  | { type: 'RFC822.TEXT' }
  | { type: 'BODY[]'; peek: boolean; section: SectionSpec; partial?: Partial }
  /** RFC 3516 BINARY[part]<partial> and BINARY.SIZE[part]. */
  | { type: 'BINARY[]'; peek: boolean; part: number[]; partial?: Partial }
  | { type: 'BINARY.SIZE'; part: number[] };

export type StatusItem =
  | 'MESSAGES'
  | 'UIDNEXT'
  | 'UIDVALIDITY'
  | 'UNSEEN'
  | 'DELETED'
  | 'SIZE'
  | 'RECENT'
  | 'HIGHESTMODSEQ'
  | 'APPENDLIMIT';

/** RFC 5256 sort keys. */
export interface SortCriterion {
  key: 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';
  reverse: boolean;
}

export interface AppendMessage {
  flags: string[];
  /** The INTERNALDATE given by the client, if any. */
  date?: Date;
  /** The message bytes (a literal or a literal8 for BINARY, RFC 3516). */
  message: Buffer;
  isBinary: boolean;
}

/** Which commands are UID-prefixed does not change their shape: `uid: true` marks the UID form. */
export type ImapCommand =
  | { name: 'CAPABILITY' }
  | { name: 'NOOP' }
  | { name: 'LOGOUT' }
  | { name: 'STARTTLS' }
  | { name: 'AUTHENTICATE'; mechanism: string; initialResponse?: string }
  | { name: 'LOGIN'; user: string; password: string }
  | { name: 'ENABLE'; capabilities: string[] }
  /** RFC 2971: null = NIL. */
  | { name: 'ID'; params: Record<string, string | null> | null }
  | { name: 'NAMESPACE' }
  | { name: 'COMPRESS'; mechanism: string }
  | { name: 'IDLE' }
  | {
      name: 'SELECT' | 'EXAMINE';
      mailbox: string;
      condstore: boolean;
      /** RFC 7162 §3.2.5 QRESYNC parameters. */
      qresync?: { uidValidity: number; modseq: bigint; knownUids?: SequenceSet; seqMatch?: { seqs: SequenceSet; uids: SequenceSet } };
    }
  /** RFC 6154 CREATE-SPECIAL-USE: USE (\Archive ...). */
  | { name: 'CREATE'; mailbox: string; specialUse: string[] }
  | { name: 'DELETE'; mailbox: string }
  | { name: 'RENAME'; from: string; to: string }
  | { name: 'SUBSCRIBE' | 'UNSUBSCRIBE'; mailbox: string }
  | {
      name: 'LIST';
      reference: string;
      patterns: string[];
      /** RFC 5258 selection options. */
      select: { subscribed: boolean; remote: boolean; recursiveMatch: boolean; specialUse: boolean };
      /** RFC 5258 / 5819 / 6154 return options. */
      return: { subscribed: boolean; children: boolean; specialUse: boolean; status?: StatusItem[] };
      /** True when the extended syntax was used (affects which attributes are mandatory). */
      isExtended: boolean;
    }
  | { name: 'LSUB'; reference: string; pattern: string }
  | { name: 'STATUS'; mailbox: string; items: StatusItem[] }
  | { name: 'APPEND'; mailbox: string; messages: AppendMessage[] }
  | { name: 'CHECK' }
  | { name: 'CLOSE' }
  | { name: 'UNSELECT' }
  | { name: 'EXPUNGE' }
  | { name: 'UID EXPUNGE'; uids: SequenceSet }
  | { name: 'SEARCH'; uid: boolean; charset?: string; return: SearchReturn[]; isEsearch: boolean; criteria: SearchKey }
  | {
      name: 'FETCH';
      uid: boolean;
      set: SequenceSet;
      items: FetchItem[];
      /** RFC 7162 CHANGEDSINCE / VANISHED modifiers. */
      changedSince?: bigint;
      vanished: boolean;
    }
  | {
      name: 'STORE';
      uid: boolean;
      set: SequenceSet;
      unchangedSince?: bigint;
      op: 'replace' | 'add' | 'remove';
      silent: boolean;
      flags: string[];
    }
  | { name: 'COPY' | 'MOVE'; uid: boolean; set: SequenceSet; mailbox: string }
  | { name: 'SORT'; uid: boolean; criteria: SortCriterion[]; charset: string; return: SearchReturn[]; isEsearch: boolean; search: SearchKey }
  | { name: 'THREAD'; uid: boolean; algorithm: 'REFERENCES' | 'ORDEREDSUBJECT'; charset: string; search: SearchKey }
  | { name: 'GETQUOTA'; root: string }
  | { name: 'GETQUOTAROOT'; mailbox: string }
  | { name: 'SETQUOTA'; root: string }
  | { name: 'NOTIFY' };

export type ImapCommandName = ImapCommand['name'];

/** A complete tagged command as read off the wire. */
export interface TaggedCommand {
  tag: string;
  command: ImapCommand;
}

/** What the parser needs to know about the session. */
export interface ParseContext {
  /** UTF8=ACCEPT or IMAP4rev2 enabled: mailbox names are raw UTF-8, not modified UTF-7 (RFC 6855 §3). */
  isUtf8: boolean;
}

/**
 * The parser's answer: a command, or BAD with the text to send (RFC 9051 §7.1.5). `tag` is set
 * whenever one could be read, so the BAD is tagged; otherwise it is sent as "* BAD".
 */
export type ParseResult = { ok: true; value: TaggedCommand } | { ok: false; tag?: string; text: string };
