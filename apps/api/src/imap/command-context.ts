import type { Logger } from '@nestjs/common';
import type { ImapCommand, ImapCommandName, ImapValue } from '@correio/imap-protocol';
import type { LoginThrottle } from '../auth/login-throttle.js';
import type { MailLoginService } from '../security/mail-login.service.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import type { ImapStore } from '../mailbox-store/imap-store.types.js';
import type { ImapLimits } from './imap-limits.js';

/**
 * The contract between the session (imap-session.ts) and the command handlers (commands/**):
 * a handler gets a CommandContext and the parsed command, writes untagged responses through it, and
 * returns the Completion; the session writes the tagged line (after any pending updates the RFC
 * allows at that moment). Handlers never touch the socket or SQL.
 */

export interface ImapUser {
  accountId: string;
  address: string;
}

/** RFC 9051 §3: the session states, each carrying what it needs (Stalwart's shape). */
export type ImapState =
  | { kind: 'notAuthenticated' }
  | { kind: 'authenticated'; user: ImapUser }
  | { kind: 'selected'; user: ImapUser; mailbox: SelectedMailboxView }
  | { kind: 'logout' };

export type ImapStateKind = ImapState['kind'];

/** Extensions a client turned on with ENABLE (RFC 5161) or implicitly (CONDSTORE by a CONDSTORE-using command, RFC 7162 §3.1). */
export type EnabledExtension = 'CONDSTORE' | 'QRESYNC' | 'IMAP4REV2' | 'UTF8=ACCEPT';

/** RFC 9051 §7.1 status responses; code is the text inside [ ] (e.g. "APPENDUID 38505 3955", "NONEXISTENT"). */
export interface Completion {
  status: 'OK' | 'NO' | 'BAD';
  code?: string;
  text: string;
}

export interface ResponseWriter {
  /** "* " + line + CRLF. The line must already be valid IMAP (use values for anything quoted). */
  untagged(line: string): void;
  /** "* " + the values joined by spaces + CRLF, encoded by the lib (quoted/literal chosen per value). */
  untaggedValues(values: ImapValue[]): void;
  /**
   * A FETCH response whose one large item is streamed: writes `prefix` as it is (the caller builds
   * it: `* n FETCH (` + head + ` NAME {size}\r\n`), then the chunks, then `suffix` as it is (the
   * tail + `)\r\n`), waiting for the socket to drain between chunks so a client that stops reading
   * cannot grow the server's memory.
   */
  untaggedStream(prefix: Buffer, body: AsyncIterable<Buffer>, suffix: Buffer): Promise<void>;
  /** Bytes as they are: complete responses the caller built (FETCH's fast path writes a batch of lines at once). */
  write(data: string | Buffer): void;
  /** "+ " + text + CRLF (AUTHENTICATE challenges). */
  continuation(text: string): void;
  /** Resolves when the socket's write buffer is below its high-water mark. */
  drained(): Promise<void>;
}

/** The selected mailbox as one session sees it (selected-mailbox.ts): its sequence numbers and pending updates. */
export interface SelectedMailboxView {
  readonly accountId: string;
  readonly mailboxId: string;
  readonly name: string;
  readonly isReadOnly: boolean;
  readonly uidValidity: number;
  /** A change published on the bus for this mailbox (by anyone, this session included): queue it. */
  noteChange(change: MailboxChange): void;
  /**
   * (Added by R5.) The change bus may have lost changes (MailEventsService.onResync: its LISTEN
   * connection came back): the next flush re-reads the mailbox's state from the store and queues
   * whatever was missed. The session calls it for its selected mailbox, then flushes as for a change.
   */
  noteResync(): void;
  /** The mailbox was found deleted (by another session) at the last flush: the session ends with BYE. */
  readonly isDeleted: boolean;
  /** True when EXISTS/EXPUNGE/FETCH updates are waiting. */
  hasPendingUpdates(): boolean;
  /**
   * Writes pending updates (RFC 9051 §7.5.1, §5.2, RFC 7162 VANISHED when QRESYNC is enabled).
   * allowExpunge is false after FETCH, STORE and SEARCH (not their UID forms): EXPUNGE would shift
   * the sequence numbers the client is using.
   */
  flushUpdates(out: ResponseWriter, options: { allowExpunge: boolean }): Promise<void>;
}

export interface ImapDeps {
  store: ImapStore;
  /** The mail protocols' one credential check (app passwords, two-factor login; security/). */
  login: MailLoginService;
  throttle: LoginThrottle;
  limits: ImapLimits;
  hostname: string;
  logger: Logger;
  /** Development: LOGIN/AUTHENTICATE without TLS from loopback (CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK). */
  allowPlainAuthOnLoopback: boolean;
  /** Largest message APPEND accepts (APPENDLIMIT, RFC 7889) = CORREIO_MAX_MESSAGE_BYTES. */
  maxMessageBytes: number;
}

/** What a handler may read and change of its session. */
export interface SessionHandle {
  readonly state: ImapState;
  setState(state: ImapState): void;
  readonly enabled: ReadonlySet<EnabledExtension>;
  enable(extension: EnabledExtension): void;
  readonly isTls: boolean;
  readonly isLoopback: boolean;
  readonly remoteAddress: string;
  /** Sequence numbers saved by SEARCH RETURN (SAVE) as UIDs (RFC 5182 "$"), or undefined. */
  savedSearch: number[] | undefined;
  /**
   * NOT AUTHENTICATED → AUTHENTICATED after a successful LOGIN/AUTHENTICATE: registers the session
   * with its account (change routing, the per-account connection limit) and raises the receiver's
   * literal limits. False when the account already has its maximum of sessions (NO [LIMIT]).
   */
  logIn(user: ImapUser): boolean;
  /** The next line from the client, raw (AUTHENTICATE responses, IDLE's DONE); undefined if the connection went away. */
  readLine(): Promise<Buffer | undefined>;
  /** IDLE (RFC 2177): while on, updates of the selected mailbox are written as they arrive. */
  setIdling(isIdling: boolean): void;
  /** Runs after the tagged completion has been written (STARTTLS and COMPRESS switch the stream there; LOGOUT closes). */
  afterCompletion(action: () => void | Promise<void>): void;
  /** STARTTLS can be offered: the plain listener and not yet TLS. */
  readonly canStartTls: boolean;
  /** Starts TLS on the connection (call from afterCompletion of STARTTLS); pipelined bytes are dropped. */
  startTls(): Promise<void>;
  /** COMPRESS=DEFLATE is already on (RFC 4978 §3: a second COMPRESS gets NO [COMPRESSIONACTIVE]). */
  readonly isCompressing: boolean;
  /** Turns DEFLATE on both ways (call from afterCompletion of COMPRESS). */
  startCompression(): void;
}

export interface CommandContext {
  tag: string;
  session: SessionHandle;
  deps: ImapDeps;
  out: ResponseWriter;
}

export interface ImapCommandHandler<N extends ImapCommandName = ImapCommandName> {
  names: readonly N[];
  /** RFC 9051 §6: the states the command is valid in; elsewhere the dispatcher answers BAD. */
  allowedIn: readonly ImapStateKind[];
  /** False for FETCH, STORE, SEARCH (sequence-number forms): no EXPUNGE may follow them (RFC 9051 §7.5.1). */
  allowsExpungeAfter?: boolean;
  handle(ctx: CommandContext, command: Extract<ImapCommand, { name: N }>): Promise<Completion>;
}
