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
    const request = client.request(url, { method: 'POST', headers, lookup, agent: false }, (res) => {
      done({ statusCode: res.statusCode ?? 0, durationMs: elapsed() });
      res.resume(); // discard the body
      res.on('error', () => {});
      res.destroy();
    });
    const timer = setTimeout(() => {
      done({ error: `no answer within ${req.timeoutMs} ms`, durationMs: elapsed() });
      request.destroy();
    }, req.timeoutMs);
    request.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ? `${err.code}` : 'connection failed', durationMs: elapsed() }));
    request.end(req.body);
  });
}
