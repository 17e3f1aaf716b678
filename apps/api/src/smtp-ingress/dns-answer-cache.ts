/** How long an answer is reused. Short: the resolver interface carries no TTLs (c-ares gives them for A/AAAA only). */
export const DNS_CACHE_TTL_MS = 30_000;
/** Most answers kept; past this the oldest go first. */
export const DNS_CACHE_MAX = 10_000;

type Resolve = (name: string, rrtype: string) => Promise<unknown[]>;
type Entry = { expires: number; answer?: unknown[]; error?: Error };

/** Answers that are facts about the zone (RFC 2308 negative answers), not failures of the lookup. */
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * A small answer cache in front of the resolver for mail authentication. SPF, DKIM and DMARC ask
 * the same questions for every message of a sender (its SPF record, `_dmarc.<domain>`, the DKIM
 * key), and node's resolver keeps nothing: in production each was a network round trip, DMARC's on
 * the end-of-data path between the last byte and the 250 (issue 10). Positive answers and negative
 * ones (no such name, no such record) are reused for DNS_CACHE_TTL_MS; timeouts and server
 * failures are never kept. Each caller gets its own copy of the records, so a library sorting or
 * editing what it got cannot change what the next message sees.
 */
export class DnsAnswerCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly resolve: Resolve,
    private readonly ttlMs = DNS_CACHE_TTL_MS,
    private readonly max = DNS_CACHE_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(name: string, rrtype: string): Promise<unknown[]> {
    const key = `${rrtype.toUpperCase()} ${name.toLowerCase().replace(/\.$/, '')}`;
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) {
      if (hit.error) throw hit.error;
      return copy(hit.answer!);
    }
    if (hit) this.entries.delete(key);
    try {
      const answer = await this.resolve(name, rrtype);
      this.keep(key, { expires: this.now() + this.ttlMs, answer: copy(answer) });
      return answer;
    } catch (err) {
      if (NEGATIVE.has((err as { code?: string }).code ?? '')) this.keep(key, { expires: this.now() + this.ttlMs, error: err as Error });
      throw err;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private keep(key: string, entry: Entry): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Records as node's resolver shapes them: strings, arrays of strings (TXT), flat objects (MX, SRV...). */
function copy(answer: unknown[]): unknown[] {
  return answer.map((r) => (Array.isArray(r) ? [...r] : r && typeof r === 'object' ? { ...r } : r));
}
