import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type SecureContext } from 'node:tls';
import type { MailEventsService } from '../events/mail-events.service.js';
import type { ImapDeps } from './command-context.js';
import { ImapSession, type SessionHost } from './imap-session.js';
import { connectionsOpened } from '../metrics/metrics.js';

export interface ImapServerOptions {
  bind: string;
  /** Plain port with STARTTLS (1143; 143 in production). 0: any free port. */
  port: number;
  /** Implicit TLS port (1993; 993 in production, RFC 8314). 0: any free port. */
  tlsPort: number;
  tls: { key: Buffer; cert: Buffer };
}

/**
 * The two IMAP listeners, their sessions and the routing of store changes to them.
 * Invariants (mox's rule, kept): the store commits, then publishes; a session learns of every change
 * (its own included) from the bus and writes it only at a moment the RFC allows (imap-session.ts).
 * Connection limits: per listener (maxConnections), per client IP and per account (imap-limits.ts).
 * Handlers never write to a socket while the store holds a lock: the store's calls return first.
 */
export class ImapServer implements SessionHost {
  private readonly sessions = new Set<ImapSession>();
  /** Authenticated sessions by account: a change is routed to its account's sessions only. */
  private readonly byAccount = new Map<string, Set<ImapSession>>();
  private readonly accountOf = new Map<ImapSession, string>();
  private readonly perIp = new Map<string, number>();
  private readonly ipOf = new Map<ImapSession, string>();
  private readonly servers: Server[] = [];
  readonly secureContext: SecureContext;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeResync: (() => void) | undefined;

  constructor(
    private readonly options: ImapServerOptions,
    readonly deps: ImapDeps,
    private readonly events: MailEventsService,
  ) {
    this.secureContext = createSecureContext({ key: options.tls.key, cert: options.tls.cert });
  }

  async start(): Promise<{ plain: number; tls: number }> {
    this.unsubscribe = this.events.subscribe((change) => {
      const sessions = this.byAccount.get(change.accountId);
      if (!sessions) return;
      for (const s of sessions) s.noteChange(change);
    });
    // The bus lost its LISTEN connection for a while: other processes' changes may be missing.
    this.unsubscribeResync = this.events.onResync(() => {
      for (const s of this.sessions) s.noteResync();
    });
    const plain = createServer((socket) => this.open(socket, false, true));
    const secure = createTlsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, (socket) => this.open(socket, true, false));
    // A failed handshake on the implicit-TLS port is the client's problem, not a crash.
    secure.on('tlsClientError', () => {});
    return { plain: await this.listen(plain, this.options.port), tls: await this.listen(secure, this.options.tlsPort) };
  }

  /** Stops listening; every session gets "* BYE" and a grace period to finish its command, then is cut. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.unsubscribeResync?.();
    this.unsubscribeResync = undefined;
    const closing = Promise.all(this.servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    for (const s of this.sessions) s.shutdown();
    const deadline = Date.now() + this.deps.limits.shutdownGraceMs;
    while (this.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const s of this.sessions) s.destroy();
    await closing;
    this.servers.length = 0;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Bytes waiting in sessions' output and input buffers (what a client that stops reading costs). */
  bufferedBytes(): { output: number; input: number } {
    let output = 0;
    let input = 0;
    for (const s of this.sessions) {
      output += s.bufferedOutputBytes;
      input += s.bufferedInputBytes;
    }
    return { output, input };
  }

  registerAccount(session: ImapSession, accountId: string): boolean {
    let set = this.byAccount.get(accountId);
    if ((set?.size ?? 0) >= this.deps.limits.maxConnectionsPerAccount) return false;
    if (!set) {
      set = new Set();
      this.byAccount.set(accountId, set);
    }
    set.add(session);
    this.accountOf.set(session, accountId);
    return true;
  }

  closed(session: ImapSession): void {
    if (!this.sessions.delete(session)) return;
    const accountId = this.accountOf.get(session);
    if (accountId !== undefined) {
      this.accountOf.delete(session);
      const set = this.byAccount.get(accountId);
      set?.delete(session);
      if (set?.size === 0) this.byAccount.delete(accountId);
    }
    const ip = this.ipOf.get(session);
    this.ipOf.delete(session);
    if (ip !== undefined) this.releaseIp(ip);
  }

  private open(socket: Socket, isTls: boolean, offersStartTls: boolean): void {
    connectionsOpened.inc({ listener: isTls ? 'imaps' : 'imap' });
    socket.setNoDelay(true);
    const ip = socket.remoteAddress ?? '';
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.deps.limits.maxConnectionsPerIp) {
      // RFC 9051 §7.1.5: BYE as the greeting refuses the connection.
      socket.on('error', () => socket.destroy());
      socket.end('* BYE [UNAVAILABLE] Too many connections from your address\r\n');
      return;
    }
    this.perIp.set(ip, count + 1);
    const session = new ImapSession(socket, this, isTls, offersStartTls);
    this.ipOf.set(session, ip);
    this.sessions.add(session);
  }

  private releaseIp(ip: string): void {
    const n = (this.perIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, n);
  }

  private listen(server: Server, port: number): Promise<number> {
    server.maxConnections = this.deps.limits.maxConnections;
    this.servers.push(server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.options.bind, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }
}
