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

/**
 * One SMTP transaction to one host for the recipients of one domain. To an MX: opportunistic STARTTLS
 * (certificates are not verified: RFC 3207 §4.1, as every MTA without DANE/MTA-STS does), EHLO with
 * our name, the receiver's 8BITMIME/SMTPUTF8 honoured by nodemailer, dot-stuffing and CRLF by it too.
 * To a relay (smarthost): TLS as configured, then AUTH PLAIN/LOGIN (RFC 4954) before MAIL.
 * A connection or login failure makes every recipient temporary.
 */
export function sendOnce(
  route: Route,
  heloName: string,
  from: string,
  to: string[],
  raw: Buffer,
  relay?: RelayOptions,
  dsn?: DsnParameters,
): Promise<RecipientOutcome[]> {
  return new Promise((resolve) => {
    const conn = new SMTPConnection(connectionOptions(route, heloName, relay));
    let settled = false;
    const finish = (outcomes: RecipientOutcome[]) => {
      if (settled) return;
      settled = true;
      for (const o of outcomes) o.remoteHost = route.host;
      try {
        conn.quit();
      } catch {
        conn.close();
      }
      resolve(outcomes);
    };
    const allTemporary = (reply: string) => to.map((address) => ({ address, status: 'temporary' as const, reply }));
    conn.on('error', (err) => finish(allTemporary(`connection to ${route.host}:${route.port} failed: ${err.message}`)));
    const transfer = () =>
      conn.send({ from, to, ...(dsn ? { dsn } : {}) }, raw, (sendErr, info) => {
        if (sendErr) {
          // Every recipient refused, or the message refused after DATA.
          const perRcpt = new Map((sendErr.rejectedErrors ?? []).map((e) => [(e as { recipient?: string }).recipient ?? '', e]));
          return finish(
            to.map((address) => {
              const e = perRcpt.get(address) ?? sendErr;
              const code = e.responseCode ?? 0;
              return { address, status: code >= 500 ? 'permanent' : 'temporary', reply: e.response ?? e.message };
            }),
          );
        }
        const rejected = new Map((info!.rejectedErrors ?? []).map((e) => [e.recipient ?? '', e]));
        finish(
          to.map((address) => {
            const e = rejected.get(address);
            if (!e) return { address, status: 'delivered', reply: info!.response };
            return { address, status: (e.responseCode ?? 0) >= 500 ? 'permanent' : 'temporary', reply: e.response ?? e.message };
          }),
        );
      });
    conn.connect((err) => {
      if (err) return finish(allTemporary(`connection to ${route.host}:${route.port} failed: ${err.message}`));
      if (!relay?.auth) return transfer();
      // Never hand a password to an eavesdropper: login only over TLS (RFC 4954 §4), loopback tests aside.
      if (!conn.secure && !(relay.allowPlainAuthOnLoopback && LOOPBACK.test(route.host))) {
        return finish(allTemporary(`refusing to send credentials to ${route.host}:${route.port} without TLS`));
      }
      conn.login(relay.auth, (loginErr) => {
        // A refused login is deferred, not bounced (as Postfix does): the fix is on our side.
        if (loginErr) return finish(allTemporary(`authentication to ${route.host}:${route.port} failed: ${loginErr.response ?? loginErr.message}`));
        transfer();
      });
    });
  });
}
