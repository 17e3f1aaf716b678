/**
 * Progressive delay after failed logins, per client IP and per account: 0 s for the first few
 * failures, then doubling up to a cap. A success clears the account's counter. In memory: with
 * several API processes each keeps its own, which still bounds guessing per process.
 */
const FREE_FAILURES = 3;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_KEYS = 100_000;

export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; last: number }>();

  delayFor(keys: string[]): number {
    const now = Date.now();
    let worst = 0;
    for (const k of keys) {
      const f = this.failures.get(k);
      if (!f || now - f.last > FORGET_AFTER_MS) continue;
      worst = Math.max(worst, f.count);
    }
    if (worst < FREE_FAILURES) return 0;
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (worst - FREE_FAILURES));
  }

  recordFailure(keys: string[]): void {
    const now = Date.now();
    if (this.failures.size > MAX_KEYS) this.failures.clear(); // bounded memory under a spray attack
    for (const k of keys) {
      const f = this.failures.get(k);
      this.failures.set(k, { count: f && now - f.last <= FORGET_AFTER_MS ? f.count + 1 : 1, last: now });
    }
  }

  recordSuccess(keys: string[]): void {
    for (const k of keys) this.failures.delete(k);
  }
}
