import pg from 'pg';

/** The channel the rules tables' triggers notify with an account id (migration 20261213300000_mail_rules). */
export const RULES_CHANNEL = 'correio_rules';

/**
 * Hears, on its own connection, every change any process makes to an account's rules, and calls
 * `onChange(accountId)`; `onChange(undefined)` when the connection was lost or re-established
 * (notifications sent meanwhile are gone: everything must be dropped). Reconnects after a second.
 * Real PostgreSQL only (PGlite cannot notify across connections; the cache's TTL covers it there).
 */
export class RulesChangeListener {
  private client?: pg.Client;
  private stopped = true;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly connectionString: string,
    private readonly onChange: (accountId: string | undefined) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'correio-rules-listener' });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.onChange(undefined);
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), 1_000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => this.onChange(n.payload || undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${RULES_CHANNEL}`);
      this.onChange(undefined);
    } catch {
      lost();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
