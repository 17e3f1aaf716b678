import { isAscii } from 'node:buffer';
import { createRequire } from 'node:module';
import type { Route } from './transport-map.js';

// nodemailer's SMTP client, the maintained one the issue names; the class is not in its typings.
const require = createRequire(import.meta.url);
const SMTPConnection = require('nodemailer/lib/smtp-connection') as new (options: Record<string, unknown>) => SmtpConnection;

interface SmtpConnection {
  connect(cb: (err?: Error) => void): void;
  login(auth: { user: string; pass: string }, cb: (err?: SendError | null) => void): void;
  /** True once the connection is TLS (implicit or after STARTTLS). */
  secure: boolean;
  send(envelope: { from: string; to: string[]; use8BitMime?: boolean; dsn?: DsnParameters }, message: Buffer, cb: (err: SendError | null, info?: SendInfo) => void): void;
  quit(): void;
  close(): void;
  on(event: 'error', cb: (err: Error) => void): void;
  on(event: 'end', cb: () => void): void;
  /** Set once the connection is closed (nodemailer's public flag). */
  destroyed?: boolean;
  _socket?: { bytesWritten: number };
}
interface SendError extends Error {
  responseCode?: number;
  response?: string;
  rejectedErrors?: SendError[];
}
interface SendInfo {
  accepted: string[];
  rejected: string[];
  rejectedErrors?: (SendError & { recipient?: string })[];
  response: string;
}

export interface RecipientOutcome {
  address: string;
  /** delivered: 2xx after DATA; temporary: 4xx or no answer; permanent: 5xx. */
  status: 'delivered' | 'temporary' | 'permanent';
  reply: string;
  /** The host that answered (or failed to), for Remote-MTA and the attempt history. */
  remoteHost?: string;
}

/** RFC 3461 parameters passed on to a receiver that offers DSN (§6.1: a relay keeps them). */
export interface DsnParameters {
  ret?: string;
  envid?: string;
  notify?: string;
  orcpt?: string;
}

/** How to talk to a relay we log in to (the smarthost); plain MX delivery has none. */
export interface RelayOptions {
  auth: { user: string; pass: string } | undefined;
  tls: 'required' | 'implicit' | 'opportunistic';
  verifyCertificate: boolean;
  /** Testing only: credentials over plain text when the relay is on loopback. */
  allowPlainAuthOnLoopback: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.|localhost$)/i;

function connectionOptions(route: Route, heloName: string, relay: RelayOptions | undefined): Record<string, unknown> {
  if (!relay) {
    return { host: route.host, port: route.port, name: heloName, secure: false, opportunisticTLS: true, tls: { rejectUnauthorized: false }, ...TIMEOUTS };
  }
  return {
    host: route.host,
    port: route.port,
    name: heloName,
    secure: relay.tls === 'implicit',
    requireTLS: relay.tls === 'required',
    opportunisticTLS: relay.tls === 'opportunistic',
    // Credentials go to this host: its certificate is checked unless the admin turned that off.
    tls: { rejectUnauthorized: relay.verifyCertificate, servername: route.host },
    ...TIMEOUTS,
  };
}

const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 5 * 60_000 };

/** Outcomes of one transaction from nodemailer's answer (per-recipient refusals included). */
function toOutcomes(to: string[], sendErr: SendError | null, info?: SendInfo): RecipientOutcome[] {
  if (sendErr) {
    // Every recipient refused, or the message refused after DATA (or the connection lost).
    const perRcpt = new Map((sendErr.rejectedErrors ?? []).map((e) => [(e as { recipient?: string }).recipient ?? '', e]));
    return to.map((address) => {
      const e = perRcpt.get(address) ?? sendErr;
      const code = e.responseCode ?? 0;
      return { address, status: code >= 500 ? 'permanent' : 'temporary', reply: e.response ?? e.message };
    });
  }
  const rejected = new Map((info!.rejectedErrors ?? []).map((e) => [e.recipient ?? '', e]));
  return to.map((address) => {
    const e = rejected.get(address);
    if (!e) return { address, status: 'delivered', reply: info!.response };
    return { address, status: (e.responseCode ?? 0) >= 500 ? 'permanent' : 'temporary', reply: e.response ?? e.message };
  });
}

/** One open SMTP session, ready for MAIL (idle) or in a transaction. */
interface Session {
  conn: SmtpConnection;
  key: string;
  /** Transactions completed on it. */
  sent: number;
  /** The running transaction's handler for connection errors; undefined while idle. */
  onError?: (err: Error) => void;
  idleTimer?: NodeJS.Timeout;
  closed: boolean;
}

export interface SmtpSenderOptions {
  /** An idle session is closed after this long (Postfix smtp_connection_cache_time_limit: 2 s). */
  idleMs: number;
  /** A session is closed after this many transactions (Postfix smtp_connection_reuse_count_limit is unlimited; we rotate). */
  maxMessagesPerConnection: number;
  /** Idle sessions kept per route at most. */
  maxIdlePerRoute: number;
}

const DEFAULTS: SmtpSenderOptions = { idleMs: 2_000, maxMessagesPerConnection: 100, maxIdlePerRoute: 20 };

/**
 * SMTP transactions to a host for the recipients of one domain, reusing sessions per route (Postfix's
 * connection cache). To an MX: opportunistic STARTTLS (certificates are not verified: RFC 3207 §4.1,
 * as every MTA without DANE/MTA-STS does), EHLO with our name, the receiver's 8BITMIME/SMTPUTF8
 * honoured by nodemailer, dot-stuffing and CRLF by it too. To a relay (smarthost): TLS as configured,
 * then AUTH PLAIN/LOGIN (RFC 4954) before MAIL. A connection or login failure makes every recipient
 * temporary.
 *
 * Reuse: after a transaction where every recipient was accepted, the session is parked for the
 * route (host, port, our name, relay login); the next transaction to that route sends MAIL on it
 * (RFC 5321 §4.1.4: a completed transaction leaves the session ready for the next one). A session
 * that saw any refusal or error is closed (QUIT), as is one idle for `idleMs` or used
 * `maxMessagesPerConnection` times. If a parked session turns out to be dead before a single byte of
 * the new transaction went out, the transaction runs once more on a new connection; once anything
 * was written it never is (the receiver might have the message: no duplicates).
 */
export class SmtpSender {
  private readonly idle = new Map<string, Session[]>();
  private readonly options: SmtpSenderOptions;
  /** New connections opened so far (tests, benchmarks). */
  connectionsOpened = 0;

  constructor(options: Partial<SmtpSenderOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  async send(route: Route, heloName: string, from: string, to: string[], raw: Buffer, relay?: RelayOptions, dsn?: DsnParameters): Promise<RecipientOutcome[]> {
    const key = `${route.host}|${route.port}|${heloName}|${relay ? `${relay.tls}|${relay.auth?.user ?? ''}` : 'mx'}`;
    for (let s = this.takeIdle(key); s; s = this.takeIdle(key)) {
      const before = s.conn._socket?.bytesWritten;
      const result = await this.transact(s, from, to, raw, dsn);
      if (result.ok) return this.finish(s, route, result.outcomes);
      // Dead before anything of this transaction was written: nothing can have arrived, so the
      // transaction runs again on another session. Once a byte went out, never (no duplicates).
      const nothingWritten = before !== undefined && s.conn._socket?.bytesWritten === before;
      if (!nothingWritten) return this.finish(s, route, result.outcomes);
      this.close(s);
    }
    const opened = await this.open(key, route, heloName, relay, to);
    if (!opened.ok) {
      for (const o of opened.outcomes) o.remoteHost = route.host;
      return opened.outcomes;
    }
    const result = await this.transact(opened.session, from, to, raw, dsn);
    return this.finish(opened.session, route, result.outcomes);
  }

  /** Closes every idle session (shutdown). */
  closeAll(): void {
    for (const list of this.idle.values()) for (const s of list) this.close(s);
    this.idle.clear();
  }

  private finish(s: Session, route: Route, outcomes: RecipientOutcome[]): RecipientOutcome[] {
    for (const o of outcomes) o.remoteHost = route.host;
    if (outcomes.every((o) => o.status === 'delivered')) this.park(s);
    else this.close(s);
    return outcomes;
  }

  /** The most recently parked live session of the route (the others idle out first). */
  private takeIdle(key: string): Session | undefined {
    const list = this.idle.get(key);
    let found: Session | undefined;
    while (!found && list?.length) {
      const s = list.pop()!;
      clearTimeout(s.idleTimer);
      if (!s.closed && s.conn.destroyed !== true) found = s;
      else this.close(s);
    }
    if (list && list.length === 0) this.idle.delete(key);
    return found;
  }

  private park(s: Session): void {
    const list = this.idle.get(s.key) ?? [];
    if (s.closed || s.conn.destroyed === true || s.sent >= this.options.maxMessagesPerConnection || list.length >= this.options.maxIdlePerRoute) {
      this.close(s);
      return;
    }
    s.onError = undefined;
    s.idleTimer = setTimeout(() => {
      this.unpark(s);
      this.close(s);
    }, this.options.idleMs);
    s.idleTimer.unref();
    list.push(s);
    this.idle.set(s.key, list);
  }

  private unpark(s: Session): void {
    const list = this.idle.get(s.key);
    const i = list?.indexOf(s) ?? -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) this.idle.delete(s.key);
  }

  private close(s: Session): void {
    clearTimeout(s.idleTimer);
    if (s.closed) return;
    s.closed = true;
    s.onError = undefined;
    if (s.conn.destroyed === true) {
      s.conn.close();
      return;
    }
    try {
      s.conn.quit();
    } catch {
      s.conn.close();
    }
  }

  /** Connects (and logs in to a relay); every recipient temporary when that fails. */
  private open(
    key: string,
    route: Route,
    heloName: string,
    relay: RelayOptions | undefined,
    to: string[],
  ): Promise<{ ok: true; session: Session } | { ok: false; outcomes: RecipientOutcome[] }> {
    this.connectionsOpened++;
    return new Promise((resolve) => {
      const conn = new SMTPConnection(connectionOptions(route, heloName, relay));
      const s: Session = { conn, key, sent: 0, closed: false };
      let settled = false;
      const fail = (reply: string) => {
        if (settled) return;
        settled = true;
        this.close(s);
        resolve({ ok: false, outcomes: to.map((address) => ({ address, status: 'temporary' as const, reply })) });
      };
      const ready = () => {
        if (settled) return;
        settled = true;
        resolve({ ok: true, session: s });
      };
      // One listener for the connection's life: the running step's handler, or (idle) drop it.
      conn.on('error', (err) => {
        if (!settled) return fail(`connection to ${route.host}:${route.port} failed: ${err.message}`);
        if (s.onError) return s.onError(err);
        this.unpark(s);
        this.close(s);
      });
      conn.on('end', () => {
        if (!settled) return fail(`connection to ${route.host}:${route.port} failed: connection closed`);
        // After the send's own callback (a 421 closes first and answers the send afterwards).
        if (s.onError) return void setImmediate(() => s.onError?.(new Error('connection closed')));
        s.closed = true;
        clearTimeout(s.idleTimer);
        this.unpark(s);
      });
      conn.connect((err) => {
        if (err) return fail(`connection to ${route.host}:${route.port} failed: ${err.message}`);
        if (!relay?.auth) return ready();
        // Never hand a password to an eavesdropper: login only over TLS (RFC 4954 §4), loopback tests aside.
        if (!conn.secure && !(relay.allowPlainAuthOnLoopback && LOOPBACK.test(route.host))) {
          return fail(`refusing to send credentials to ${route.host}:${route.port} without TLS`);
        }
        conn.login(relay.auth, (loginErr) => {
          // A refused login is deferred, not bounced (as Postfix does): the fix is on our side.
          if (loginErr) return fail(`authentication to ${route.host}:${route.port} failed: ${loginErr.response ?? loginErr.message}`);
          ready();
        });
      });
    });
  }

  /** One transaction (MAIL, RCPT…, DATA) on an open session. ok: false when the connection failed without a reply. */
  private transact(s: Session, from: string, to: string[], raw: Buffer, dsn?: DsnParameters): Promise<{ ok: boolean; outcomes: RecipientOutcome[] }> {
    return new Promise((resolve) => {
      let done = false;
      const settle = (ok: boolean, outcomes: RecipientOutcome[]) => {
        if (done) return;
        done = true;
        s.onError = undefined;
        resolve({ ok, outcomes });
      };
      const lost = (err: Error) => settle(false, to.map((address) => ({ address, status: 'temporary' as const, reply: `connection to ${s.key.split('|').slice(0, 2).join(':')} failed: ${err.message}` })));
      s.onError = lost;
      try {
        // RFC 6152: 8-bit content is declared BODY=8BITMIME (nodemailer adds it when the receiver's
        // EHLO offers 8BITMIME); a 7-bit message is sent as it is.
        s.conn.send({ from, to, use8BitMime: !isAscii(raw), ...(dsn ? { dsn } : {}) }, raw, (sendErr, info) => {
          if (sendErr && !sendErr.responseCode && !sendErr.rejectedErrors?.length) return lost(sendErr);
          s.sent++;
          settle(true, toOutcomes(to, sendErr, info));
        });
      } catch (err) {
        lost(err as Error);
      }
    });
  }
}

/** One transaction on a new connection, closed afterwards (no reuse). */
export async function sendOnce(
  route: Route,
  heloName: string,
  from: string,
  to: string[],
  raw: Buffer,
  relay?: RelayOptions,
  dsn?: DsnParameters,
): Promise<RecipientOutcome[]> {
  const sender = new SmtpSender({ maxIdlePerRoute: 0 });
  return sender.send(route, heloName, from, to, raw, relay, dsn);
}
