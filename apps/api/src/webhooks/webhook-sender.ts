import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface WebhookRequest {
  url: string;
  /** The checked address to connect to (ssrf-guard), never the name resolved again. */
  address: string;
  family: 4 | 6;
  secret: string;
  /** webhook-id: the same for every attempt of one event (receivers deduplicate on it). */
  messageId: string;
  body: string;
  timeoutMs: number;
}

/**
 * Connections are kept alive per origin (a TLS handshake per event would cost more than the event).
 * A kept socket was opened to a checked address; the address is checked again before each request,
 * but a socket opened earlier may be reused meanwhile — the same trust as one long request.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 10, keepAliveMsecs: 1_000 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 10, keepAliveMsecs: 1_000 }),
};
/** A body longer than this is not read to the end (the socket is dropped instead of kept). */
const MAX_DRAINED_BODY = 64 * 1024;

/** The receiver's status code, or why there was none. Its body is never read beyond the head. */
export type WebhookResponse = { statusCode: number; durationMs: number } | { error: string; durationMs: number };

/**
 * Signs the headers as the Standard Webhooks specification says: webhook-id, webhook-timestamp (unix
 * seconds of this attempt) and webhook-signature `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`
 * keyed with the base64 part of the `whsec_` secret; done by the `standardwebhooks` library, so
 * receivers using it verify exactly what was signed.
 */
export function signedHeaders(secret: string, messageId: string, body: string, now = new Date()): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, now, body),
  };
}

/**
 * One POST. Connects to the checked address with the URL's host name kept for the Host header and
 * TLS (SNI and certificate check). Redirects are not followed (a 3xx is a failure: following one
 * would skip the SSRF check). The whole exchange up to the response head is bounded by timeoutMs;
 * the response body is discarded.
 */
export function postWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(req.url);
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: req.address, family: req.family }]);
    else callback(null, req.address, req.family);
  };
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(req.body)),
    'user-agent': 'Correio-Webhooks/1',
    ...signedHeaders(req.secret, req.messageId, req.body),
  };
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: WebhookResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const client = url.protocol === 'https:' ? https : http;
    const agent = agents[url.protocol as 'http:' | 'https:'];
    const request = client.request(url, { method: 'POST', headers, lookup, agent }, (res) => {
      done({ statusCode: res.statusCode ?? 0, durationMs: elapsed() });
      // The body is discarded (never stored or shown); read to its end so the socket can be reused.
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > MAX_DRAINED_BODY) res.destroy();
      });
      res.on('error', () => {});
    });
    const timer = setTimeout(() => {
      done({ error: `no answer within ${req.timeoutMs} ms`, durationMs: elapsed() });
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ? `${err.code}` : 'connection failed', durationMs: elapsed() }));
    request.end(req.body);
  });
}
