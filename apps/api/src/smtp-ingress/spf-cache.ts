import type { SPFResult } from 'mailauth';

/** How long an SPF verdict is reused: short against DNS changes (TTLs are usually minutes). */
export const SPF_CACHE_TTL_MS = 30_000;
/** Most verdicts kept; past this the oldest go first. */
export const SPF_CACHE_MAX = 10_000;

/**
 * Recent SPF verdicts (RFC 7208), reused for the next transaction with the same inputs. check_host()
 * is a function of the client address, the HELO name, the MAIL FROM address and DNS (RFC 7208 §4.1,
 * §7: macros can use any of the three, so the key is all three exactly as given); mailauth's result,
 * its Received-SPF header and Authentication-Results text hold nothing else (no time, no id). A sender
 * that sends many messages — a mailing list, a bulk sender, a load generator — then costs one
 * evaluation (and its DNS queries) every TTL instead of one per message (~5% of the MX's CPU per
 * 4 KiB message, issue 10). A DNS change is seen after at most SPF_CACHE_TTL_MS, sooner than most
 * resolvers' caches would show it. temperror (a DNS failure, RFC 7208 §2.6.6) is never kept: the
 * next message asks again.
 *
 * The cached result object is shared between transactions: callers read it, never change it.
 */
export class SpfCache {
  private readonly entries = new Map<string, { result: SPFResult; expires: number }>();

  constructor(
    private readonly ttlMs = SPF_CACHE_TTL_MS,
    private readonly max = SPF_CACHE_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  get(ip: string, helo: string, sender: string): SPFResult | undefined {
    const key = keyOf(ip, helo, sender);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires > this.now()) return entry.result;
    this.entries.delete(key);
    return undefined;
  }

  set(ip: string, helo: string, sender: string, result: SPFResult): void {
    if (this.ttlMs <= 0 || !result || result.status?.result === 'temperror') return;
    const key = keyOf(ip, helo, sender);
    // Re-inserting moves the key to the end: the Map's order is then the order of expiry.
    this.entries.delete(key);
    this.entries.set(key, { result, expires: this.now() + this.ttlMs });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (ip: string, helo: string, sender: string) => `${ip}\n${helo}\n${sender}`;
