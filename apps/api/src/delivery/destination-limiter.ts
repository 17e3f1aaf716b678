/**
 * Connection slots of one worker process: at most `total` SMTP transactions at once, and at most
 * `perDomain` to one destination domain (CORREIO_DELIVERY_MAX_PER_DOMAIN), so one slow domain
 * cannot take every slot. Waiters are served in arrival order. saturated() names the domains that
 * already have as much work as they may run, so the worker stops claiming more of theirs and keeps
 * claiming other domains' mail meanwhile (Postfix's per-destination concurrency, in one process).
 */
export class DestinationLimiter {
  private active = 0;
  private readonly byDomain = new Map<string, { active: number; waiting: number }>();
  private readonly waiters: { domain: string; resolve: () => void }[] = [];

  /**
   * backlog: groups a domain may have waiting for a slot beyond `perDomain` before saturated()
   * names it, so the next claim arrives while the running ones still have work queued behind them
   * (a claim round trip does not leave the connections idle).
   */
  constructor(
    private readonly total: number,
    private readonly perDomain: number,
    private readonly backlog = 0,
  ) {}

  acquire(domain: string): Promise<void> {
    const d = this.domain(domain);
    if (this.active < this.total && d.active < this.perDomain) {
      this.active++;
      d.active++;
      return Promise.resolve();
    }
    d.waiting++;
    return new Promise((resolve) => this.waiters.push({ domain, resolve }));
  }

  /** Frees a slot; true when the domain has room for more work again (it was saturated()). */
  release(domain: string): boolean {
    const d = this.domain(domain);
    const full = this.perDomain + this.backlog;
    const wasSaturated = d.active + d.waiting >= full;
    this.active--;
    d.active--;
    // The first waiter whose domain has room now (another domain's waiter may run before this one's).
    const i = this.waiters.findIndex((w) => this.domain(w.domain).active < this.perDomain);
    if (i >= 0 && this.active < this.total) {
      const [w] = this.waiters.splice(i, 1);
      const wd = this.domain(w!.domain);
      wd.waiting--;
      wd.active++;
      this.active++;
      w!.resolve();
    }
    if (d.active === 0 && d.waiting === 0) this.byDomain.delete(domain);
    return wasSaturated && d.active + d.waiting < full;
  }

  /** Domains with at least `perDomain` + `backlog` transactions running or waiting. */
  saturated(): string[] {
    return [...this.byDomain].filter(([, d]) => d.active + d.waiting >= this.perDomain + this.backlog).map(([name]) => name);
  }

  private domain(name: string): { active: number; waiting: number } {
    const d = this.byDomain.get(name) ?? { active: 0, waiting: 0 };
    this.byDomain.set(name, d);
    return d;
  }
}
