import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer } from 'node:tls';
import { Logger } from '@nestjs/common';
import { LoginThrottle } from '../auth/login-throttle.js';
import type { MailLoginService } from '../security/mail-login.service.js';
import type { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { MailEventsService } from '../events/mail-events.service.js';
import { MaildropLocks } from './maildrop-lock.js';
import { PREFETCH_LIMITS, PrefetchBudget, type PrefetchLimits } from './prefetch-limits.js';
import { POP3_SERVER_LIMITS } from './pop3-limits.js';
import { Pop3Session, type Pop3SessionDeps } from './pop3-session.js';
import { connectionsOpened } from '../metrics/metrics.js';

export interface Pop3ServerOptions {
  bind: string;
  /** Plain port with STLS (1110; 110 in production). 0: any free port. */
  port: number;
  /** Implicit TLS port (1995; 995 in production, RFC 8314). 0: any free port. */
  tlsPort: number;
  hostname: string;
  /** Development: USER/PASS and AUTH PLAIN without TLS, from loopback only. */
  allowPlainAuthOnLoopback: boolean;
  /** RFC 1939 §3 autologout; at least 10 minutes in production. */
  idleTimeoutMs?: number;
  /** Mark downloaded messages \Seen (off by default: POP3 downloads are invisible to the webmail). */
  markReadOnRetr?: boolean;
  /** Read-ahead window per session (defaults: PREFETCH_LIMITS). */
  prefetch?: Partial<PrefetchLimits>;
  tls: { key: Buffer; cert: Buffer };
}

/**
 * The two POP3 listeners and their sessions. Plain `net`/`tls` servers: POP3 is small enough that a
 * library would add more than it saves. Login throttle and maildrop locks are per process.
 */
export class Pop3Server {
  private readonly logger = new Logger('pop3');
  private readonly sessions = new Set<Pop3Session>();
  private readonly servers: Server[] = [];
  private readonly deps: Pop3SessionDeps;
  readonly locks = new MaildropLocks();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly options: Pop3ServerOptions,
    login: MailLoginService,
    store: MailboxStoreService,
    /** The change bus: messages deleted elsewhere are dropped from what sessions read ahead. */
    private readonly events?: MailEventsService,
  ) {
    this.deps = {
      login,
      store,
      throttle: new LoginThrottle(),
      locks: this.locks,
      secureContext: createSecureContext({ key: options.tls.key, cert: options.tls.cert }),
      hostname: options.hostname,
      allowPlainAuthOnLoopback: options.allowPlainAuthOnLoopback,
      idleTimeoutMs: options.idleTimeoutMs ?? POP3_SERVER_LIMITS.idleTimeoutMs,
      markReadOnRetr: options.markReadOnRetr ?? false,
      prefetchLimits: { ...PREFETCH_LIMITS, ...options.prefetch },
      prefetchBudget: new PrefetchBudget(options.prefetch?.maxBytesAllSessions ?? PREFETCH_LIMITS.maxBytesAllSessions),
      logger: this.logger,
    };
  }

  /** Listens on both ports; resolves with the ports actually bound. */
  async start(): Promise<{ plain: number; tls: number }> {
    // Published after COMMIT (invariant 6), so a RETR after the deletion never sees the old bytes.
    this.unsubscribe = this.events?.subscribe((change) => {
      if (change.kind !== 'expunge') return;
      for (const s of this.sessions) s.messagesGone(change.accountId, change.mailboxId, change.uids);
    });
    const plain = createServer((socket) => this.open(socket, false, true));
    const secure = createTlsServer({ key: this.options.tls.key, cert: this.options.tls.cert }, (socket) => this.open(socket, true, false));
    // A failed handshake on the implicit-TLS port is the client's problem, not a crash.
    secure.on('tlsClientError', () => {});
    // The read-ahead's worker thread and connection, ready before the first client logs in.
    this.deps.store.prepareRawReads();
    return { plain: await this.listen(plain, this.options.port), tls: await this.listen(secure, this.options.tlsPort) };
  }

  /** Stops listening and cuts every session: nothing is deleted (no UPDATE without QUIT). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const s of this.sessions) s.destroy();
    await Promise.all(this.servers.map((srv) => new Promise<void>((r) => srv.close(() => r()))));
    this.servers.length = 0;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  private open(socket: Socket, isTls: boolean, offersStls: boolean): void {
    connectionsOpened.inc({ listener: isTls ? 'pop3s' : 'pop3' });
    socket.setNoDelay(true);
    const session = new Pop3Session(socket, this.deps, isTls, offersStls, (s) => this.sessions.delete(s));
    this.sessions.add(session);
  }

  private listen(server: Server, port: number): Promise<number> {
    server.maxConnections = POP3_SERVER_LIMITS.maxConnections;
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
