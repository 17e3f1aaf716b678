import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from '@nestjs/common';
import { errLine, okLine, parseCommand } from '@correio/pop3-protocol';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { MailLoginService } from '../security/mail-login.service.js';
import type { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { COMMANDS } from './commands/command-table.js';
import type { MaildropLocks } from './maildrop-lock.js';
import type { MaildropPrefetcher } from './maildrop-prefetch.js';
import type { PrefetchBudget, PrefetchLimits } from './prefetch-limits.js';
import { POP3_SERVER_LIMITS } from './pop3-limits.js';

export interface MaildropMessage {
  id: string;
  uid: number;
  /** Stored raw bytes: what RETR sends before dot-stuffing. */
  size: number;
  isDeleted: boolean;
}

/** The INBOX as snapshotted at login: message n is messages[n - 1] for the whole session. */
export interface Maildrop {
  accountId: string;
  /** The INBOX's id: changes published for it concern this maildrop. */
  mailboxId: string;
  uidValidity: number;
  messages: MaildropMessage[];
  /** Reads the messages after the one last asked for ahead of the client (maildrop-prefetch.ts). */
  prefetch: MaildropPrefetcher;
}

/** RFC 1939 §3: the states of a session, each carrying what it needs. */
export type Pop3State =
  | { kind: 'authorization'; user?: string }
  | { kind: 'transaction'; maildrop: Maildrop }
  | { kind: 'update' };

export interface Pop3SessionDeps {
  /** The mail protocols' one credential check (app passwords, two-factor login; security/). */
  login: MailLoginService;
  store: MailboxStoreService;
  throttle: LoginThrottle;
  locks: MaildropLocks;
  secureContext: SecureContext;
  hostname: string;
  allowPlainAuthOnLoopback: boolean;
  idleTimeoutMs: number;
  /** Mark a message \Seen when it is downloaded with RETR (CORREIO_POP3_MARK_READ; off by default). */
  markReadOnRetr: boolean;
  /** How far each session reads its maildrop ahead of RETR/TOP (maildrop-prefetch.ts). */
  prefetchLimits: PrefetchLimits;
  /** Bytes read ahead by all sessions of the server together. */
  prefetchBudget: PrefetchBudget;
  logger: Logger;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const TOO_LONG = Symbol('line too long');

/**
 * One POP3 connection: framing (CRLF lines, bounded), the state, and a dispatcher that runs one
 * command at a time in arrival order (RFC 2449 PIPELINING) through the state table of COMMANDS.
 * Invariants: nothing is deleted except by QUIT in TRANSACTION (UPDATE, one transaction); a dropped
 * or timed-out connection only releases the maildrop lock; internal errors never reach the wire.
 */
export class Pop3Session {
  state: Pop3State = { kind: 'authorization' };
  private socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private isDiscarding = false;
  private readonly queue: (string | typeof TOO_LONG)[] = [];
  private lineWaiter: ((line: string | typeof TOO_LONG | undefined) => void) | undefined;
  private isBusy = false;
  private isClosed = false;
  private hasClosed = false;
  private lockedAccount: string | undefined;

  constructor(
    socket: Socket,
    readonly deps: Pop3SessionDeps,
    private isTls: boolean,
    /** The plain listener offers STLS; the implicit-TLS one starts secure. */
    private readonly offersStls: boolean,
    private readonly onClosed: (s: Pop3Session) => void,
  ) {
    this.socket = socket;
    this.attach(socket);
    socket.once('close', () => this.closed());
    this.write(okLine(`${deps.hostname} Correio POP3 server ready`));
  }

  get isSecure(): boolean {
    return this.isTls;
  }
  get canStartTls(): boolean {
    return this.offersStls && !this.isTls;
  }
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
  /** RFC 2595 §2 / RFC 8314: passwords only over TLS, or on loopback when development allows it. */
  get isPlainAuthAllowed(): boolean {
    return this.isTls || (this.deps.allowPlainAuthOnLoopback && LOOPBACK.test(this.remoteAddress));
  }

  write(data: string | Buffer): void {
    if (!this.isClosed && !this.socket.destroyed) this.socket.write(data);
  }

  /**
   * Several buffers as one write (one writev, no copy into a single buffer): a RETR's +OK line and
   * the dot-stuffed views of the message. Backpressure as for write(): the dispatcher waits for
   * 'drain' before the next command. `written` runs once the socket has taken (or dropped) them all:
   * the memory they view may be reused from then on.
   */
  writeChunks(chunks: readonly Buffer[], written: () => void = () => {}): void {
    if (this.isClosed || this.socket.destroyed || chunks.length === 0) {
      written();
      return;
    }
    // Called on success and on failure (a destroyed socket errors its pending writes).
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!, () => written());
      return;
    }
    this.socket.cork();
    for (let i = 0; i < chunks.length - 1; i++) this.socket.write(chunks[i]!);
    this.socket.write(chunks[chunks.length - 1]!, () => written());
    this.socket.uncork();
  }

  /** Leaves TRANSACTION: what was read ahead is dropped. */
  leaveTransaction(next: Pop3State): void {
    if (this.state.kind === 'transaction') this.state.maildrop.prefetch.close();
    this.state = next;
  }

  /** Messages of this session's maildrop deleted elsewhere (change bus): never served from memory. */
  messagesGone(accountId: string, mailboxId: string, uids: readonly number[]): void {
    if (this.state.kind !== 'transaction') return;
    const { maildrop } = this.state;
    if (maildrop.accountId !== accountId || maildrop.mailboxId !== mailboxId) return;
    const set = new Set(uids);
    maildrop.prefetch.invalidate(maildrop.messages.filter((m) => set.has(m.uid)).map((m) => m.id));
  }

  /** Ends the connection after what has been written (QUIT). */
  end(): void {
    this.isClosed = true;
    this.socket.end();
  }

  /** Cuts the connection at once (shutdown); no UPDATE. */
  destroy(): void {
    this.socket.destroy();
  }

  /** The next line from the client (a SASL response); undefined if the connection went away. */
  async nextLine(): Promise<string | undefined> {
    if (this.queue.length > 0) return this.fromQueue(this.queue.shift()!);
    // Waiting for the client again: its silence counts toward the idle timeout.
    this.socket.setTimeout(this.deps.idleTimeoutMs);
    const next = await new Promise<string | typeof TOO_LONG | undefined>((r) => (this.lineWaiter = r));
    this.socket.setTimeout(0);
    return next === undefined ? undefined : this.fromQueue(next);
  }

  private fromQueue(line: string | typeof TOO_LONG): string {
    return line === TOO_LONG ? '' : line;
  }

  holdLock(accountId: string): boolean {
    if (!this.deps.locks.tryAcquire(accountId)) return false;
    this.lockedAccount = accountId;
    return true;
  }

  releaseLock(): void {
    if (this.lockedAccount) this.deps.locks.release(this.lockedAccount);
    this.lockedAccount = undefined;
  }

  /**
   * STLS (RFC 2595 §4): after the +OK, TLS starts on the same socket. Lines the client pipelined
   * behind STLS were sent in the clear and are discarded (the STARTTLS command-injection attack,
   * CVE-2011-0411); the session restarts in AUTHORIZATION with nothing remembered.
   */
  async startTls(): Promise<void> {
    const plain = this.socket;
    await new Promise<void>((resolve) => plain.write(okLine('Begin TLS negotiation'), () => resolve()));
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    this.queue.length = 0;
    this.buffer = Buffer.alloc(0);
    this.isDiscarding = false;
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.deps.secureContext });
    this.socket = secure;
    this.isTls = true;
    this.state = { kind: 'authorization' };
    this.attach(secure);
    secure.once('close', () => this.closed());
  }

  private attach(socket: Socket): void {
    socket.setTimeout(this.deps.idleTimeoutMs);
    // RFC 1939 §3: on the autologout timer the server closes without UPDATE and without a response.
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (let nl = this.buffer.indexOf(0x0a); nl >= 0; nl = this.buffer.indexOf(0x0a)) {
      const end = nl > 0 && this.buffer[nl - 1] === 0x0d ? nl - 1 : nl;
      const line = this.buffer.subarray(0, end).toString('utf8');
      this.buffer = this.buffer.subarray(nl + 1);
      this.push(this.isDiscarding || nl + 1 > POP3_SERVER_LIMITS.maxSaslLineOctets ? TOO_LONG : line);
      this.isDiscarding = false;
    }
    // A line without its end past the limit: drop what came, answer once when it ends.
    if (this.buffer.length > POP3_SERVER_LIMITS.maxSaslLineOctets) {
      this.buffer = Buffer.alloc(0);
      this.isDiscarding = true;
    }
    if (this.queue.length > POP3_SERVER_LIMITS.maxQueuedLines) this.socket.pause();
    void this.pump();
  }

  private push(line: string | typeof TOO_LONG): void {
    if (this.lineWaiter) {
      const w = this.lineWaiter;
      this.lineWaiter = undefined;
      w(line);
    } else this.queue.push(line);
  }

  private async pump(): Promise<void> {
    if (this.isBusy) return;
    this.isBusy = true;
    try {
      while (this.queue.length > 0 && !this.isClosed) {
        const line = this.queue.shift()!;
        // A command answered from memory completes here, in this turn of the event loop; only one
        // that waits (the database, a password check, a client reading slowly) is awaited.
        const pending = this.dispatch(line);
        if (pending || this.socket.writableNeedDrain) {
          // The idle timeout measures the client's silence (RFC 1939 §3), not our work: a slow
          // password check or a large RETR must not log the client out.
          this.socket.setTimeout(0);
          await pending;
          await this.drained();
          if (!this.socket.destroyed) this.socket.setTimeout(this.deps.idleTimeoutMs);
        }
        if (this.queue.length <= POP3_SERVER_LIMITS.maxQueuedLines / 2) this.socket.resume();
      }
    } finally {
      this.isBusy = false;
    }
  }

  /**
   * Waits until the client has taken what was written: a client that pipelines RETR after RETR
   * without reading must not make us hold its whole maildrop in memory.
   */
  private async drained(): Promise<void> {
    const socket = this.socket;
    if (!socket.writableNeedDrain || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  /** Runs one command; a promise only when the command has to wait for something. */
  private dispatch(line: string | typeof TOO_LONG): Promise<void> | undefined {
    const parsed = line === TOO_LONG ? ({ ok: false, error: 'Line too long' } as const) : parseCommand(line);
    if (!parsed.ok) {
      this.write(errLine(parsed.error));
      return undefined;
    }
    const cmd = parsed.command;
    const handler = COMMANDS[cmd.name];
    // One state table, checked here once (RFC 1939: a command in the wrong state gets -ERR).
    if (!handler.allowedIn.includes(this.state.kind)) {
      this.write(errLine(`${cmd.name} not valid in this state`));
      return undefined;
    }
    const failed = (err: unknown) => this.write(toErrLine(err, this.deps.logger));
    try {
      const result = (handler.handle as (s: Pop3Session, c: typeof cmd) => Promise<void> | void)(this, cmd);
      return result ? result.catch(failed) : undefined;
    } catch (err) {
      failed(err);
      return undefined;
    }
  }

  private closed(): void {
    if (this.hasClosed) return;
    this.hasClosed = true;
    this.isClosed = true;
    this.lineWaiter?.(undefined);
    this.lineWaiter = undefined;
    if (this.state.kind === 'transaction') this.state.maildrop.prefetch.close();
    // A dropped connection deletes nothing (RFC 1939 §6: only QUIT enters UPDATE). The lock is
    // released unless UPDATE is running; QUIT releases it when its COMMIT returns.
    if (this.state.kind !== 'update') this.releaseLock();
    this.onClosed(this);
  }
}

/** AppError codes → POP3 (RFC 3206); anything else is logged and answered [SYS/TEMP]. */
export function toErrLine(err: unknown, logger: Logger): string {
  if (err instanceof AppError) {
    if (err.code === ErrorCode.NotFound) return errLine('No such message');
    if (err.code === ErrorCode.Unavailable) return errLine('Temporarily unavailable, try again later', 'SYS/TEMP');
  }
  logger.warn(`command failed: ${String(err)}`);
  return errLine('Temporary server error, try again later', 'SYS/TEMP');
}
