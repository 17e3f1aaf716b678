import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  type EmbeddedPostgres,
  type Pool,
  createPool,
  detectServerKind,
  embeddedUrl,
  findRunningEmbedded,
  migrate,
  startEmbeddedPostgres,
} from '@correio/db';
import type { AppConfig } from '../config/config.schema.js';

export interface OpenDatabase {
  pool: Pool;
  url: string;
  /** Set when this process owns the embedded PostgreSQL. */
  embedded?: EmbeddedPostgres;
  /** How the database was reached, for the banner. */
  description: string;
  /** PGlite (embedded, DATABASE_IS_PGLITE, or found behind DATABASE_URL): one connection, no named statements. */
  isPglite: boolean;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when configured; otherwise the embedded PostgreSQL under dataDir — started here, or,
 * when another process (the running service) already owns it and `allowShared` is set, reached
 * through that process's socket. Migrations are applied either way.
 */
export async function openDatabase(config: AppConfig, options: { allowShared: boolean; applicationName: string }): Promise<OpenDatabase> {
  let url = config.databaseUrl;
  let embedded: EmbeddedPostgres | undefined;
  let description = 'PostgreSQL (DATABASE_URL)';
  if (!url) {
    const dataDir = path.resolve(config.dataDir);
    const running = findRunningEmbedded(dataDir);
    if (running && options.allowShared) {
      url = embeddedUrl(running.port);
      description = `embedded PostgreSQL of process ${running.pid} (${dataDir})`;
    } else {
      mkdirSync(dataDir, { recursive: true });
      embedded = await startEmbeddedPostgres({ dataDir, port: config.embeddedPgPort });
      url = embedded.url;
      description = `embedded PostgreSQL (PGlite) in ${dataDir}, on 127.0.0.1:${embedded.port}`;
    }
  }
  // PGlite is one PostgreSQL session, and pglite-socket (0.2.x) mixes up the queries of concurrent
  // connections (wrong results, "portal does not exist", hangs). One connection is exact: queries
  // queue in the pool instead, so the checkout wait is long. Nothing may wait on the pool while it
  // holds a transaction's client (every store method takes the transaction's client instead).
  //
  // Whether DATABASE_URL is PGlite is asked of the server itself, not only taken from
  // DATABASE_IS_PGLITE: a PGlite URL used as a real server's (pool of 10, named statements) fails
  // under concurrency with "prepared statement ... already exists" and "bind message supplies 7
  // parameters, but prepared statement "" requires 4" — one connection's messages run against
  // another's (compose.e2e.test.ts on PGlite, with the flag unset).
  const pglite =
    !config.databaseUrl ||
    config.database.isPglite ||
    (await detectServerKind(url, { applicationName: options.applicationName })) === 'pglite';
  const pool = createPool({
    url,
    applicationName: options.applicationName,
    max: pglite ? 1 : config.database.poolMax,
    checkoutTimeoutMs: pglite ? 120_000 : 5_000,
  });
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }
  return {
    pool,
    url,
    embedded,
    description,
    isPglite: pglite,
    async close() {
      await pool.end().catch(() => {});
      await embedded?.stop();
    },
  };
}
