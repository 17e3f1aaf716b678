/**
 * Fixed-window request counters (the model of @fastify/rate-limit and of most API gateways): at most
 * `limit` requests per `windowMs` per key, counted in this process's memory. With several worker
 * processes each counts on its own, so the effective limit is limit × processes (documented with the
 * settings). A window's entry is dropped once it has ended.
 *
 * Why not @fastify/rate-limit: it runs in an onRequest hook, before the request is authenticated,
 * so it cannot count per API key (only per header text, which a client controls) and would count the
 * webmail's requests, which all come from the Next.js server's one address, per IP.
 */
export interface RateDecision {
  isAllowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends (RateLimit-Reset, Retry-After). */
  resetSeconds: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  get isEnabled(): boolean {
    return this.limit > 0;
  }

  take(key: string, now = Date.now()): RateDecision {
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= this.limit) return { isAllowed: false, limit: this.limit, remaining: 0, resetSeconds };
    w.count++;
    return { isAllowed: true, limit: this.limit, remaining: this.limit - w.count, resetSeconds };
  }

  /** Once a window: forget ended windows, so memory follows the active clients only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}
