import pg from 'pg';

/**
 * Hears, on its own connection, every NOTIFY on one channel (PostgreSQL LISTEN/NOTIFY, fed by
 * triggers) and calls `onNotify(payload)` for each; `onNotify(undefined)` when the connection was
 * lost or (re-)established, because notifications sent meanwhile are gone and whatever they keep
 * up to date must be dropped. Reconnects after a second while started.
 *
 * Real PostgreSQL servers only: PGlite is one session shared by every socket connection and cannot
 * deliver a notification to another connection (toolchain notes), so there a cache's TTL alone
 * bounds what another process changed.
 */
export class ChannelListener {
  private client?: pg.Client;
  private stopped = true;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly options: { connectionString: string; channel: string; applicationName: string },
    private readonly onNotify: (payload: string | undefined) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: this.options.applicationName });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.onNotify(undefined);
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), 1_000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => this.onNotify(n.payload || undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
      // Changes made before LISTEN took effect were not heard: start from nothing.
      this.onNotify(undefined);
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
