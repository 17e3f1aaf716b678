import pg from 'pg';

/**
 * One PostgreSQL connection in node-postgres's pipeline mode (`pipeline: true`), for group commit:
 * queries issued together are written at once and answered in order, so BEGIN, a group's
 * statements and COMMIT cost the client one round trip and the server one wake-up instead of one
 * per statement (PostgreSQL protocol, "Pipelining": with an explicit BEGIN, a failing statement
 * aborts the transaction, the statements behind it fail with 25P02, and the COMMIT behind them
 * answers ROLLBACK).
 *
 * Owned by one GroupCommit, which has one transaction in flight at a time, so one connection is
 * enough. Opened on first use; a connection that errors (the server restarted, a network failure)
 * is dropped, and the next group opens a new one. Real PostgreSQL only: PGlite's one shared
 * session would interleave another connection's statements into the pipeline's transaction.
 */
export class PipelinedConnection {
  private client?: pg.Client;
  private opening?: Promise<pg.Client>;
  private closed = false;

  constructor(readonly config: pg.ClientConfig) {}

  /** The open connection, opening it if needed. */
  acquire(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error('the group commit connection is closed'));
    if (this.client) return Promise.resolve(this.client);
    this.opening ??= this.open().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Drops the connection (after an error that may have left it out of step); the next acquire opens another. */
  discard(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    void client.end().catch(() => {});
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.opening?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({ ...this.config, pipeline: true } as pg.ClientConfig);
    // A connection lost while idle emits 'error': without a listener the process would crash.
    client.on('error', () => this.discard(client));
    client.on('end', () => this.discard(client));
    await client.connect();
    if (this.closed) {
      await client.end().catch(() => {});
      throw new Error('the group commit connection is closed');
    }
    this.client = client;
    return client;
  }
}
