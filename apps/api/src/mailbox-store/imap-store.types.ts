import type { Envelope, MessageStructure, SearchKey, SortCriterion, SortInput, StatusItem } from '@correio/imap-protocol';
import type { SpecialUse } from './mailbox-store.types.js';

/**
 * What the IMAP server (apps/api/src/imap) asks of the mail store. Implemented by ImapStoreService
 * (imap-store.service.ts) in this module, which owns the tables; IMAP never touches SQL.
 *
 * Every method is scoped by accountId (DESIGN invariant 4): another account's mailbox is "not found".
 * Every write is one transaction and publishes its MailboxChange on the change bus after COMMIT
 * (invariant 6), so every session (this one included) learns of it the same way; the caller's own
 * untagged responses are driven by the return values, not by waiting for the bus.
 * Mailbox names are full UTF-8 names with "/" as the hierarchy delimiter; "INBOX" is the inbox.
 */

export interface ImapMailbox {
  id: string;
  name: string;
  specialUse: SpecialUse | null;
  subscribed: boolean;
  uidValidity: number;
  uidNext: number;
  highestModseq: bigint;
}

export interface ImapMailboxStatus extends ImapMailbox {
  messages: number;
  unseen: number;
  deleted: number;
  /** Sum of RFC822.SIZE (RFC 8438 STATUS=SIZE). */
  size: number;
}

/** Flags as IMAP spells them: system flags ("\Seen", "\Answered", "\Flagged", "\Deleted", "\Draft") and keywords. */
export interface ImapMessageFlags {
  uid: number;
  modseq: bigint;
  flags: string[];
}

/** The view of a mailbox a SELECT starts from: UIDs ascending are message sequence numbers 1..n. */
export interface ImapSnapshot {
  mailbox: ImapMailbox;
  /** Ascending UIDs of the messages present (not expunged). */
  uids: Uint32Array;
  /** Count of messages without \Seen and the lowest sequence number of one (for "* OK [UNSEEN n]"); 0 if none. */
  unseenCount: number;
  firstUnseenSeq: number;
  /** Keywords in use in the mailbox (for the FLAGS / PERMANENTFLAGS responses). */
  keywords: string[];
}

/** What FETCH asks for, so the store reads only the columns it needs. */
export interface FetchNeeds {
  flags: boolean;
  internalDate: boolean;
  size: boolean;
  envelope: boolean;
  /** The kept MessageStructure (computed on first need and stored, never per FETCH). */
  structure: boolean;
}

export interface ImapMessageMeta {
  uid: number;
  modseq: bigint;
  flags?: string[];
  internalDate?: Date;
  size?: number;
  envelope?: Envelope;
  structure?: MessageStructure;
  /** Where the bytes are: pass to readBytes. */
  blobId: string;
}

/** FETCH items the store can answer as finished response text (fetchLines: FETCH's fast path). */
export type FetchLineItem = 'UID' | 'FLAGS' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE' | 'MODSEQ';

export interface FetchLinesRequest {
  /** In the order they go on the wire (RFC 9051 §7.5.2 allows any; clients expect theirs). */
  items: FetchLineItem[];
  /** UTF8=ACCEPT / IMAP4rev2: strings with 8-bit characters go quoted instead of as literals (RFC 6855 §3). */
  utf8: boolean;
  /** RFC 7162 §3.1.4: rows at or below it come back with text ''. */
  changedSince?: bigint;
  /**
   * The batch is every message the session lists between its lowest and highest UID (no
   * CHANGEDSINCE): FLAGS then come back as `flagsAsOf`, one modseq for the whole batch, instead of
   * a "uid modseq" pair per message (see FetchLines.flagsAsOf).
   */
  wholeRange?: boolean;
}

/** One batch of FETCH responses, finished (fetchLines). */
export interface FetchLines {
  /** Every "* n FETCH (...)\r\n" of the batch, in UID order ('' when none is to be sent). */
  text: string;
  /** Messages of the batch that exist (the others were expunged meanwhile). */
  found: number;
  /** Responses in text. */
  sent: number;
  /**
   * Messages lacking a kept form (not computed yet): then `text` is incomplete and the batch must go
   * through fetchMeta, which computes and keeps the forms.
   */
  missing: number;
  /** FLAGS asked (not wholeRange): "uid modseq" pairs, comma-separated, of the messages in text. */
  reported?: string | null;
  /**
   * FLAGS asked, wholeRange: the mailbox's HIGHESTMODSEQ as the statement saw it. Every change at or
   * below it is in the flags the text reports (modseqs are given under the mailbox row's lock and
   * committed in order), so the session can drop the echo of any of them for the batch's UID range
   * without a pair per message: for a 10,000-message sync the pairs were 10,000 strings and BigInts
   * parsed per FETCH (~3 ms warm, ~12 ms in a fresh process).
   */
  flagsAsOf?: string | null;
  /** FLAGS asked: the keywords those messages carry, space-separated (to announce them first, RFC 9051 §7.3.5). */
  keywords?: string | null;
}

/** FETCH BODY.PEEK[] with other items around it (fetchBodies: the body fast path). */
export interface FetchBodiesRequest {
  /** Items before the body and after it (MODSEQ last), as for fetchLines. */
  before: FetchLineItem[];
  after: FetchLineItem[];
  utf8: boolean;
  /** Messages larger than this come without bytes (stream them with readBytes). */
  inlineMax: number;
  /** At most this many bytes of small messages per batch; the rest come without bytes too. */
  batchMax: number;
}

export interface FetchBody {
  uid: number;
  seq: number;
  size: number;
  /** The text of the items before and after the body; null when a kept form is missing (use fetchMeta). */
  before: string | null;
  after: string | null;
  /**
   * The whole message as the pieces it arrived in (views of the database connection's reads, written
   * to the client as they are), or null when it is to be streamed (large, or past the batch's budget).
   */
  data: Buffer[] | null;
  blobId: string;
}

/**
 * A batch's FetchBody rows in UID order, in groups as the database sends them, so the first
 * responses go out while the rest are still read. The statement runs to its end whether or not
 * anyone reads (its rows are bounded by FetchBodiesRequest.batchMax); `settled` resolves, never
 * rejects, once it is over and its connection released. A failure is thrown by the iteration.
 */
export interface FetchBodyStream extends AsyncIterable<FetchBody[]> {
  readonly settled: Promise<void>;
}

/** Sort/thread inputs (RFC 5256): the lib's SortInput, which its SORT/THREAD algorithms take as they are. */
export type ImapSortFields = SortInput;

export interface StoreFlagsRequest {
  accountId: string;
  mailboxId: string;
  uids: number[];
  op: 'replace' | 'add' | 'remove';
  flags: string[];
  /** RFC 7162 §3.1.3: messages whose modseq is above this are not changed and are reported back. */
  unchangedSince?: bigint;
}

export interface StoreFlagsResult {
  /** Messages whose flags changed (new flags and modseq). */
  changed: ImapMessageFlags[];
  /** Messages that matched but were not changed because flags were already so (their current state). */
  unchanged: ImapMessageFlags[];
  /** UNCHANGEDSINCE failures ([MODIFIED uids]). */
  modified: number[];
}

export interface CopyResult {
  /** RFC 4315 COPYUID: destination UIDVALIDITY and the UID pairs, in source order. */
  uidValidity: number;
  sourceUids: number[];
  destinationUids: number[];
}

export interface ChangesSince {
  /** Messages whose modseq > the given one, with flags (for FETCH ... CHANGEDSINCE / QRESYNC). */
  changed: ImapMessageFlags[];
  /** UIDs expunged with modseq > the given one (from tombstones) — VANISHED (EARLIER). */
  vanished: number[];
}

/**
 * Errors: the store throws AppError (common/app-error.ts); IMAP maps the code once to NO [CODE]
 * (RFC 5530): NotFound → NONEXISTENT, Conflict → ALREADYEXISTS, Forbidden → CANNOT (delete INBOX,
 * rename into itself), OverQuota → OVERQUOTA, TooLarge → TOOBIG, InvalidInput → CANNOT with the text,
 * Unavailable (or a database error) → UNAVAILABLE. Message texts are safe to show the user.
 */

export interface ImapStore {
  // Mailboxes (RFC 9051 §6.3)
  listMailboxes(accountId: string): Promise<ImapMailbox[]>;
  statusMailboxes(accountId: string, mailboxIds: string[], items: StatusItem[]): Promise<ImapMailboxStatus[]>;
  findMailbox(accountId: string, name: string): Promise<ImapMailbox | undefined>;
  /** APPEND's target: what appendMany needs of it (INBOX's is known without a lookup after the first). */
  findAppendTarget(accountId: string, name: string): Promise<Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'> | undefined>;
  createMailbox(accountId: string, name: string, specialUse?: SpecialUse): Promise<ImapMailbox>;
  /** Deletes the mailbox and its messages (children stay, RFC 9051 §6.3.9; \Noselect is not kept). */
  deleteMailbox(accountId: string, name: string): Promise<void>;
  /** Renames it and every child; INBOX: moves its messages to a new mailbox, INBOX stays (RFC 9051 §6.3.10). */
  renameMailbox(accountId: string, from: string, to: string): Promise<void>;
  setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void>;

  // Selected state
  snapshot(accountId: string, mailboxId: string): Promise<ImapSnapshot>;
  fetchMeta(accountId: string, mailboxId: string, uids: number[], needs: FetchNeeds): Promise<ImapMessageMeta[]>;
  /**
   * (Added for issue 11's speed targets.) The FETCH responses of the messages among `uids`
   * (ascending; `seqs` their sequence numbers in the session), built by the database from the row
   * and the kept wire forms: a full sync is one string per batch. See FetchLines.missing.
   */
  fetchLines(accountId: string, mailboxId: string, uids: number[], seqs: number[], request: FetchLinesRequest): Promise<FetchLines>;
  /**
   * (Added for issue 11's speed targets.) FETCH BODY.PEEK[] of a batch in one statement: the
   * messages among `uids` (ascending) with the text of the other items and the bytes of the small
   * ones, read as stored (no hex text), handed out while the statement runs. See FetchBodyStream.
   */
  fetchBodies(accountId: string, mailboxId: string, uids: number[], seqs: number[], request: FetchBodiesRequest): Promise<FetchBodyStream>;
  /** Bytes [start, end) of a stored message, in chunks of at most chunkSize, without reading it all. */
  readBytes(accountId: string, blobId: string, start: number, end: number, chunkSize?: number): AsyncIterable<Buffer>;
  /**
   * (Added by R3.) Whole messages at once, for FETCH of many small messages (BODY[] of a batch):
   * one round trip instead of one readBytes per message. Only blobs of at most `maxEach` bytes are
   * read (default 256 KiB), at most `maxTotal` bytes in all (default 8 MiB); the others are absent
   * from the map: read them with readBytes.
   */
  readMessages(accountId: string, blobIds: string[], limits?: { maxEach?: number; maxTotal?: number }): Promise<Map<string, Buffer>>;
  changesSince(accountId: string, mailboxId: string, modseq: bigint): Promise<ChangesSince>;
  /**
   * (Added by R3.) The mailbox's UIDNEXT, HIGHESTMODSEQ and message count now, in one statement
   * (one mailbox row and an index-only count), or undefined when the mailbox is gone. For a
   * selected session to notice changes it never heard about on the change bus (a NOTIFY lost while
   * the LISTEN connection was down: MailEventsService.onResync; or on NOOP/IDLE): uidNext above
   * its own means new messages (UIDs from its uidNext on), highestModseq above its own means flag
   * changes or expunges (changesSince), exists differing from its count means expunges too.
   */
  mailboxState(accountId: string, mailboxId: string): Promise<{ uidNext: number; highestModseq: bigint; exists: number } | undefined>;
  storeFlags(req: StoreFlagsRequest): Promise<StoreFlagsResult>;
  copyMessages(accountId: string, fromMailboxId: string, uids: number[], toMailboxId: string): Promise<CopyResult>;
  /** COPY + expunge from the source in one transaction (RFC 6851). */
  moveMessages(accountId: string, fromMailboxId: string, uids: number[], toMailboxId: string): Promise<CopyResult>;
  /** Expunges messages with \Deleted; only those in `uids` when given (UID EXPUNGE). Returns the UIDs removed. */
  expunge(accountId: string, mailboxId: string, uids?: number[]): Promise<{ uids: number[]; modseq: bigint }>;
  /** APPEND: stores the message (parsed, indexed for search, quota checked) and returns its UID (RFC 4315 APPENDUID). */
  append(
    accountId: string,
    mailboxId: string,
    raw: Buffer,
    flags: string[],
    internalDate?: Date,
  ): Promise<{ uidValidity: number; uid: number }>;
  /**
   * (Added by R3.) MULTIAPPEND (RFC 3502): all the messages in one transaction, stored all or none,
   * UIDs ascending in the order given (APPENDUID with a uid-set, RFC 4315 §3).
   */
  appendMany(
    accountId: string,
    mailboxId: string,
    messages: { raw: Buffer; flags: string[]; internalDate?: Date }[],
    /** The mailbox as the caller just looked it up (saves a read; a mailbox gone meanwhile still fails). */
    found?: Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'>,
  ): Promise<{ uidValidity: number; uids: number[] }>;
  /** UIDs (ascending) of messages matching a search key. Sequence-number keys arrive already turned into UID sets. */
  search(accountId: string, mailboxId: string, key: SearchKey, scopeUids?: number[]): Promise<number[]>;
  sortFields(accountId: string, mailboxId: string, uids: number[]): Promise<ImapSortFields[]>;
  quota(accountId: string): Promise<{ usedBytes: number; limitBytes: number; messages: number }>;
}

export type { SortCriterion };
