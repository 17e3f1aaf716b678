/**
 * Recipient resolutions the MX has already looked up, so a RCPT TO for a known address costs no
 * database round trip (issue 10: the lookup was one of the two statements per message).
 *
 * What is kept, and why it stays right:
 * - Only deliverable answers (kind 'local', nobody over quota). An unknown address, another domain
 *   or a full mailbox is looked up every time, so a new account or alias is reachable at once from
 *   any process, and a full mailbox is refused at RCPT (452 4.2.2) as soon as it is full.
 * - Every directory write made through DirectoryService or AliasService clears the cache (in-process, at once).
 * - A write made elsewhere (the CLI, another worker process, plain SQL) is heard through
 *   PostgreSQL notifications on a real server: triggers on domains, accounts and aliases notify,
 *   and directory-change-listener.ts drops the cache (also whenever its connection is lost). On
 *   PGlite, which cannot deliver notifications across connections, `ttlMs` (5 s) bounds it: until
 *   then a removed or disabled account, or a removed alias, may still be accepted at RCPT. For a
 *   removed account nothing is stored (the delivery statement finds no mailbox: 450 4.2.1 after
 *   DATA, and the cache is forgotten); a disabled account (no use-case disables one yet; only SQL
 *   can) or a removed alias's old target may get mail for up to those 5 s.
 * - A mailbox that fills up after its entry was cached is refused by the delivery statement (452
 *   after DATA); the MX then forgets the cache, so the next RCPT gets 452 up front.
 */
export interface CachedResolution {
  kind: 'local';
  accountIds: string[];
  forwards: string[];
  overQuota: string[];
}

export class RecipientCache {
  private readonly entries = new Map<string, { value: CachedResolution; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    /** Bounds memory when a sender walks many valid addresses; the oldest entries go first. */
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(address: string): CachedResolution | undefined {
    const e = this.entries.get(address);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(address);
      return undefined;
    }
    return e.value;
  }

  /** Keeps a resolution if it is one the cache may answer with (see above). */
  offer(address: string, value: { kind: string; accountIds?: string[]; forwards?: string[]; overQuota?: string[] }): void {
    if (value.kind !== 'local' || (value.overQuota?.length ?? 0) > 0 || this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(address, { value: value as CachedResolution, expires: this.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
