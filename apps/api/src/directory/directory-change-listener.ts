import pg from 'pg';

/** The channel the directory tables' triggers notify (migration 20261206140000_directory_change_notify). */
export const DIRECTORY_CHANNEL = 'correio_directory';

/**
 * Hears, on its own connection, every change any process makes to domains, accounts and aliases
 * (PostgreSQL LISTEN/NOTIFY, fed by triggers), and calls `onChange` for each. Also calls it when
 * the connection is lost or re-established: notifications sent meanwhile are gone, so the cache
 * must be dropped then too. Reconnects after a second while started.
 *
 * Real PostgreSQL servers only: PGlite is one session shared by every socket connection and cannot
 * deliver a notification to another connection (toolchain notes), so there the cache's TTL alone
 * bounds what another process changed.
 */
export class DirectoryChangeListener {
  private client?: pg.Client;
  private stopped = true;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly connectionString: string,
    private readonly onChange: () => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'correio-directory-listener' });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => {});
      this.onChange();
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), 1_000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.onChange());
    try {
      await client.connect();
      await client.query(`LISTEN ${DIRECTORY_CHANNEL}`);
      // Changes made before LISTEN took effect were not heard: start from nothing.
      this.onChange();
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
