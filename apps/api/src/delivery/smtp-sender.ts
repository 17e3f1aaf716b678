import { createRequire } from 'node:module';
import type { Route } from './transport-map.js';

// nodemailer's SMTP client, the maintained one the issue names; the class is not in its typings.
const require = createRequire(import.meta.url);
const SMTPConnection = require('nodemailer/lib/smtp-connection') as new (options: Record<string, unknown>) => SmtpConnection;

interface SmtpConnection {
  connect(cb: (err?: Error) => void): void;
  send(envelope: { from: string; to: string[]; use8BitMime?: boolean }, message: Buffer, cb: (err: SendError | null, info?: SendInfo) => void): void;
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
}

const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 5 * 60_000 };

/**
 * One SMTP transaction to one host for the recipients of one domain: opportunistic STARTTLS
 * (certificates are not verified: RFC 3207 §4.1, as every MTA without DANE/MTA-STS does), EHLO with
 * our name, the receiver's 8BITMIME/SMTPUTF8 honoured by nodemailer, dot-stuffing and CRLF by it too.
 * A connection failure makes every recipient temporary.
 */
export function sendOnce(route: Route, heloName: string, from: string, to: string[], raw: Buffer): Promise<RecipientOutcome[]> {
  return new Promise((resolve) => {
    const conn = new SMTPConnection({
      host: route.host,
      port: route.port,
      name: heloName,
      secure: false,
      opportunisticTLS: true,
      tls: { rejectUnauthorized: false },
      ...TIMEOUTS,
    });
    let settled = false;
    const finish = (outcomes: RecipientOutcome[]) => {
      if (settled) return;
      settled = true;
      try {
        conn.quit();
      } catch {
        conn.close();
      }
      resolve(outcomes);
    };
    const allTemporary = (reply: string) => to.map((address) => ({ address, status: 'temporary' as const, reply }));
    conn.on('error', (err) => finish(allTemporary(`connection to ${route.host}:${route.port} failed: ${err.message}`)));
    conn.connect((err) => {
      if (err) return finish(allTemporary(`connection to ${route.host}:${route.port} failed: ${err.message}`));
      conn.send({ from, to }, raw, (sendErr, info) => {
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
    });
  });
}
