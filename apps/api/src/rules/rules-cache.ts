import type { AccountRulesRow } from './repositories/rules.repository.js';

/**
 * Each account's rules as the delivery path last read them, so a delivery to an account costs no
 * query for its rules (issue 15: "no extra query for an account without vacation"). An account
 * without any rule is cached too (the common case).
 *
 * Why it stays right: RulesService drops an account's entry after each of its writes (this
 * process, at once); writes from other processes (another worker, the CLI, SQL) notify channel
 * correio_rules with the account id (migration 20261213300000_mail_rules), heard by
 * rules-change-listener.ts on a real PostgreSQL, which drops that entry, or everything when its
 * connection was lost. PGlite cannot deliver notifications across connections; there the server is
 * one process writing rules only through RulesService, and `ttlMs` bounds a plain-SQL edit.
 */
export class RulesCache {
  private readonly entries = new Map<string, { value: AccountRulesRow; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    /** Bounds memory: past this the oldest entries go first. */
    private readonly maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(accountId: string): AccountRulesRow | undefined {
    const e = this.entries.get(accountId);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(accountId);
      return undefined;
    }
    return e.value;
  }

  set(value: AccountRulesRow): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(value.accountId, { value, expires: this.now() + this.ttlMs });
  }

  forget(accountId: string): void {
    this.entries.delete(accountId);
  }

  clear(): void {
    this.entries.clear();
  }
}
