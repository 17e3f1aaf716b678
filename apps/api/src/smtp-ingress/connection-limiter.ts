/**
 * Open SMTP connections per client IP, across all listeners of this process. One address holding
 * every slot would lock everyone else out; past the limit a new connection gets 421 4.7.0 and is
 * closed (RFC 5321 §3.8: 421 is the reply for a server that must close the channel).
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(private readonly maxPerIp: number) {}

  /** Counts the connection in; false when the address is already at its limit. */
  tryAcquire(ip: string): boolean {
    const n = this.open.get(ip) ?? 0;
    if (n >= this.maxPerIp) return false;
    this.open.set(ip, n + 1);
    return true;
  }

  release(ip: string): void {
    const n = (this.open.get(ip) ?? 1) - 1;
    if (n <= 0) this.open.delete(ip);
    else this.open.set(ip, n);
  }
}
