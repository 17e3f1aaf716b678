import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import { type CommandFrame, CommandReceiver, type ImapCommand, parseCommand, receiverLimits } from '@correio/imap-protocol';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import type { CommandContext, Completion, EnabledExtension, ImapDeps, ImapState, ImapUser, SessionHandle } from './command-context.js';
import { COMMAND_TABLE } from './commands/command-table.js';
import { startDeflate } from './compress.js';
import { greeting } from './commands/capability.command.js';
import { toCompletion } from './imap-errors.js';
import { encodeValuesFor } from './imap-wire.js';
import { SessionWriter, statusLine } from './response-writer.js';

/** What a session needs of its server (imap.server.ts). */
export interface SessionHost {
  deps: ImapDeps;
  secureContext: SecureContext;
  /** The per-account limit and change routing; false when the account is at its limit. */
  registerAccount(session: ImapSession, accountId: string): boolean;
  closed(session: ImapSession): void;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
/** Unread input buffered while a command runs before the socket is paused (pipelining backlog). */
const MAX_INPUT_BACKLOG = 256 * 1024;

/**
 * One IMAP connection (RFC 9051 §2.2–§5): framing through the lib's CommandReceiver, the state
 * machine (ImapState), one command at a time in arrival order (pipelined commands wait their turn,
 * §5.5), dispatch through the command table with the state checked once, pending mailbox updates
 * flushed before each tagged completion (§7.5.1), IDLE, STARTTLS and COMPRESS.
 * Invariants: handlers never touch the socket; internal errors never reach the wire (imap-errors.ts);
 * the session stops reading while its output is backed up, so memory stays bounded.
 */
export class ImapSession implements SessionHandle {
  state: ImapState = { kind: 'notAuthenticated' };
  readonly enabled = new Set<EnabledExtension>();
  savedSearch: number[] | undefined;
  private socket: Socket;
  private readonly writer: SessionWriter;
  private receiver = new CommandReceiver();
  private dataWaiter: (() => void) | undefined;
  private isBusy = false;
  private isIdling = false;
  private isEnded = false;
  private hasClosed = false;
  private compressing = false;
  private after: (() => void | Promise<void>)[] = [];
  /** An IDLE flush in progress (updates arriving meanwhile are written by its loop). */
  private isIdleFlushing = false;

  constructor(
    socket: Socket,
    private readonly host: SessionHost,
    private tls: boolean,
    /** The plain listener offers STARTTLS; the implicit-TLS one starts secure. */
    private readonly offersStartTls: boolean,
  ) {
    this.socket = socket;
    this.writer = new SessionWriter(
      socket,
      encodeValuesFor(() => this.isUtf8),
      host.deps.limits.maxPendingOutputBytes,
    );
    this.attach(socket);
    this.writer.write(`* ${greeting(this, host.deps)}\r\n`);
    // Handlers' errors are answered inside run(); anything escaping it is a bug in the session
    // itself: it ends this connection, never the process (DESIGN invariant 7).
    this.run().catch((err: unknown) => {
      this.deps.logger.error(`session failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      this.writer.untagged('BYE [UNAVAILABLE] Internal server error');
      this.end();
    });
  }

  get deps(): ImapDeps {
    return this.host.deps;
  }
  get isTls(): boolean {
    return this.tls;
  }
  get canStartTls(): boolean {
    return this.offersStartTls && !this.tls;
  }
  get isCompressing(): boolean {
    return this.compressing;
  }
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
  get isLoopback(): boolean {
    return LOOPBACK.test(this.remoteAddress);
  }
  /** RFC 6855 §3 / RFC 9051: mailbox names and strings go as UTF-8 once UTF8=ACCEPT or IMAP4rev2 is on. */
  get isUtf8(): boolean {
    return this.enabled.has('UTF8=ACCEPT') || this.enabled.has('IMAP4REV2');
  }
  get accountId(): string | undefined {
    return this.state.kind === 'authenticated' || this.state.kind === 'selected' ? this.state.user.accountId : undefined;
  }

  get bufferedOutputBytes(): number {
    return this.writer.bufferedBytes;
  }
  get bufferedInputBytes(): number {
    return this.receiver.bufferedBytes;
  }

  setState(state: ImapState): void {
    this.state = state;
  }
  enable(extension: EnabledExtension): void {
    this.enabled.add(extension);
  }

  logIn(user: ImapUser): boolean {
    if (!this.host.registerAccount(this, user.accountId)) return false;
    this.state = { kind: 'authenticated', user };
    // After authentication literals may be as large as a message APPEND accepts (RFC 7889).
    this.receiver.setLimits(receiverLimits({ isAuthenticated: true, appendLimit: this.deps.maxMessageBytes }));
    this.armTimer();
    return true;
  }

  afterCompletion(action: () => void | Promise<void>): void {
    this.after.push(action);
  }

  setIdling(isIdling: boolean): void {
    this.isIdling = isIdling;
    if (isIdling) this.flushDuringIdle();
  }

  /** A change on the bus for this session's account (the server routes only those). */
  noteChange(change: MailboxChange): void {
    if (this.state.kind !== 'selected' || this.state.mailbox.mailboxId !== change.mailboxId) return;
    this.state.mailbox.noteChange(change);
    // RFC 2177: during IDLE updates go out as they happen; otherwise at the next command's end.
    if (this.isIdling) this.flushDuringIdle();
  }

  /** The change bus may have lost changes: the selected mailbox re-checks the store (flushed as changes are). */
  noteResync(): void {
    if (this.state.kind !== 'selected') return;
    this.state.mailbox.noteResync();
    if (this.isIdling) this.flushDuringIdle();
  }

  /** Shutdown: "* BYE" (RFC 9051 §7.1.5) and close once the command in progress has finished. */
  shutdown(): void {
    if (this.isEnded) return;
    this.writer.untagged('BYE Server shutting down');
    if (!this.isBusy || this.isIdling) this.end();
    else this.afterCompletion(() => this.end());
  }

  destroy(): void {
    this.socket.destroy();
  }

  async readLine(): Promise<Buffer | undefined> {
    this.receiver.readRawLine();
    for (;;) {
      const event = this.receiver.next();
      if (event?.type === 'line') return event.line;
      // A raw line over the line limit: an empty line answers it (the caller refuses it).
      if (event?.type === 'error') return event.isFatal ? undefined : Buffer.alloc(0);
      if (event) continue;
      if (!(await this.moreInput())) return undefined;
    }
  }

  /**
   * STARTTLS (RFC 9051 §6.2.1): TLS starts right after the tagged OK. Bytes the client pipelined
   * behind the command came in the clear and are discarded (the command-injection attack,
   * CVE-2011-0411); the session restarts NOT AUTHENTICATED with a fresh receiver.
   */
  async startTls(): Promise<void> {
    const plain = this.socket;
    // Stop reading plaintext in this same tick as the tagged OK was written: the client's
    // ClientHello may arrive while the OK is still being flushed, and it must stay in the socket's
    // buffer (TLSSocket feeds buffered bytes to the handshake) instead of reaching the old receiver.
    // Bytes the client pipelined behind STARTTLS were read before the OK and are dropped with the
    // old receiver (RFC 9051 §6.2.1, CVE-2011-0411).
    plain.removeAllListeners('data');
    plain.pause();
    await new Promise<void>((resolve) => plain.write('', () => resolve()));
    plain.removeAllListeners('timeout');
    plain.removeAllListeners('close');
    this.receiver = new CommandReceiver();
    const secure = new TLSSocket(plain, { isServer: true, secureContext: this.host.secureContext });
    this.socket = secure;
    this.tls = true;
    this.writer.replaceSocket(secure);
    this.attach(secure);
  }

  /** COMPRESS=DEFLATE (RFC 4978): from here on both directions are deflated. */
  startCompression(): void {
    const socket = this.socket;
    socket.removeAllListeners('data');
    const { deflate } = startDeflate(
      socket,
      (chunk) => this.onData(chunk),
      () => socket.destroy(),
    );
    this.compressing = true;
    this.writer.startCompression(deflate);
  }

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    // RFC 9051 §5.4 autologout: BYE, then close.
    socket.on('timeout', () => {
      this.writer.untagged('BYE Autologout; idle for too long');
      this.end();
    });
    socket.once('close', () => this.closed());
    this.armTimer();
  }

  private onData(chunk: Buffer): void {
    this.receiver.push(chunk);
    if (this.isBusy && !this.isIdling && this.receiver.bufferedBytes > MAX_INPUT_BACKLOG) this.socket.pause();
    const w = this.dataWaiter;
    this.dataWaiter = undefined;
    w?.();
  }

  /** Waits for more bytes; false when the connection is gone. */
  private async moreInput(): Promise<boolean> {
    if (this.isEnded || this.socket.destroyed) return false;
    this.socket.resume();
    await new Promise<void>((r) => (this.dataWaiter = r));
    return !this.isEnded && !this.socket.destroyed;
  }

  /** The read loop: one event at a time; a command runs to its tagged completion before the next is read. */
  private async run(): Promise<void> {
    while (!this.isEnded) {
      const event = this.receiver.next();
      if (!event) {
        if (!(await this.moreInput())) return;
        continue;
      }
      if (event.type === 'continue') {
        // RFC 9051 §7.5: the client waits for this before sending a synchronizing literal.
        this.writer.continuation('Ready for literal data');
      } else if (event.type === 'error') {
        const tag = event.tag ?? '*';
        this.writer.write(`${tag} ${statusLine({ status: event.status, code: event.code, text: event.text })}\r\n`);
        if (event.isFatal) {
          this.writer.untagged(`BYE ${event.code ? `[${event.code}] ` : ''}${event.text}`);
          this.end();
        }
      } else if (event.type === 'command') {
        this.isBusy = true;
        try {
          await this.runCommand(event.frame);
        } finally {
          this.isBusy = false;
        }
        await this.writer.drained();
      }
    }
  }

  private async runCommand(frame: CommandFrame): Promise<void> {
    const parsed = parseCommand(frame, { isUtf8: this.isUtf8 });
    if (!parsed.ok) {
      this.writer.write(`${parsed.tag || '*'} BAD ${parsed.text}\r\n`);
      return;
    }
    const { tag, command } = parsed.value;
    const handler = COMMAND_TABLE.get(command.name);
    let completion: Completion;
    let allowExpunge = true;
    if (!handler) completion = { status: 'BAD', text: 'Unknown command' };
    else if (!handler.allowedIn.includes(this.state.kind)) {
      // RFC 9051 §6: one state table, checked here once.
      completion = { status: 'BAD', text: `${command.name} not valid in this state` };
    } else {
      // RFC 9051 §7.5.1: no EXPUNGE after FETCH, STORE or SEARCH; their UID forms allow it.
      allowExpunge = handler.allowsExpungeAfter !== false || isUidForm(command);
      const ctx: CommandContext = { tag, session: this, deps: this.deps, out: this.writer };
      try {
        completion = await (handler.handle as (c: CommandContext, cmd: ImapCommand) => Promise<Completion>)(ctx, command);
      } catch (err) {
        completion = toCompletion(err, this.deps.logger);
      }
    }
    // Autologout or shutdown cut the command short (IDLE): BYE was the last word.
    if (this.isEnded) return;
    await this.flushUpdates(allowExpunge);
    this.writer.tagged(tag, completion);
    const after = this.after;
    this.after = [];
    for (const action of after) await action();
    if (this.state.kind === 'logout') this.end();
    else this.byeIfMailboxDeleted();
  }

  /**
   * The selected mailbox was deleted by another session (RFC 9051 §6.3.9): nothing more can be
   * done in it, so the session ends with BYE (RFC 9051 §7.1.5), as Dovecot does, rather than
   * answering as if it were still there.
   */
  private byeIfMailboxDeleted(): void {
    if (this.state.kind !== 'selected' || !this.state.mailbox.isDeleted || this.isEnded) return;
    this.writer.untagged('BYE Selected mailbox was deleted, have to disconnect');
    this.end();
  }

  private async flushUpdates(allowExpunge: boolean): Promise<void> {
    if (this.state.kind !== 'selected' || !this.state.mailbox.hasPendingUpdates()) return;
    try {
      await this.state.mailbox.flushUpdates(this.writer, { allowExpunge });
    } catch (err) {
      toCompletion(err, this.deps.logger);
    }
  }

  private flushDuringIdle(): void {
    if (this.isIdleFlushing) return;
    this.isIdleFlushing = true;
    void (async () => {
      try {
        while (this.isIdling && this.state.kind === 'selected' && this.state.mailbox.hasPendingUpdates()) {
          await this.flushUpdates(true);
          this.byeIfMailboxDeleted();
          await this.writer.drained();
        }
      } finally {
        this.isIdleFlushing = false;
      }
    })();
  }

  /**
   * The autologout timer (RFC 9051 §5.4) runs on the socket, which restarts it on every read and
   * write: it fires after that long without traffic either way — a silent client (IDLE included,
   * RFC 2177 §3 has clients re-IDLE within 29 minutes) or one that stopped reading our responses.
   * Set when the state changes its length (before/after login), not per command.
   */
  private armTimer(): void {
    if (this.socket.destroyed) return;
    const limits = this.deps.limits;
    this.socket.setTimeout(this.state.kind === 'notAuthenticated' ? limits.preAuthIdleTimeoutMs : limits.idleTimeoutMs);
  }

  /** Closes after what was written. */
  private end(): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.state = { kind: 'logout' };
    const socket = this.socket;
    this.writer.end();
    // A client that never reads its last responses does not keep the socket.
    setTimeout(() => socket.destroy(), 5000).unref();
    this.dataWaiter?.();
  }

  private closed(): void {
    if (this.hasClosed) return;
    this.hasClosed = true;
    this.isEnded = true;
    this.writer.close();
    this.dataWaiter?.();
    this.dataWaiter = undefined;
    this.host.closed(this);
  }
}

function isUidForm(command: ImapCommand): boolean {
  return 'uid' in command && command.uid === true;
}
