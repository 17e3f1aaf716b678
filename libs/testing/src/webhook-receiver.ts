import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  at: number;
  /** With verifyWith(): the verified event, checked on arrival as a real receiver does (the library refuses timestamps over 5 min old). */
  verified?: unknown;
  verifyError?: string;
}

/**
 * A real HTTP server standing in for an integrator's webhook endpoint (tests and benchmarks): it
 * records every request and answers with the next status of `statuses` (then `fallback`).
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  statuses: number[] = [];
  fallback = 200;
  private server!: http.Server;
  private waiters: (() => void)[] = [];
  private verifier?: Webhook;

  /** Verifies every request on arrival with the standardwebhooks library and this secret. */
  verifyWith(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    r.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const hook: ReceivedHook = { headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
        if (r.verifier) {
          try {
            hook.verified = r.verifier.verify(hook.body, headers);
          } catch (err) {
            hook.verifyError = (err as Error).message;
          }
        }
        r.received.push(hook);
        res.statusCode = r.statuses.shift() ?? r.fallback;
        res.end('a body the sender must never show');
        for (const w of r.waiters.splice(0)) w();
      });
    });
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  /** Resolves when `predicate` holds for what was received, or rejects after `ms`. */
  async waitFor(predicate: (all: ReceivedHook[]) => boolean, ms = 10_000): Promise<ReceivedHook[]> {
    const until = Date.now() + ms;
    while (!predicate(this.received)) {
      const left = until - Date.now();
      if (left <= 0) throw new Error(`webhook receiver: condition not met within ${ms} ms (${this.received.length} received)`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.min(left, 200)).unref();
      });
    }
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
