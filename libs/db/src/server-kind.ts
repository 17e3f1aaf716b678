import pg from 'pg';

/**
 * What answers on a database URL: a PostgreSQL server, or PGlite served over a socket
 * (pglite-socket, as startEmbeddedPostgres does). The difference decides how the URL may be used:
 * PGlite is ONE session shared by every socket connection, so a second pooled connection sees the
 * first one's named statements ("prepared statement ... already exists") and, worse, pglite-socket
 * interleaves the extended-protocol messages of concurrent connections ("bind message supplies 7
 * parameters, but prepared statement "" requires 4": one connection's Bind ran against another's
 * Parse, and rows can reach the wrong query). Over PGlite the pool must have one connection and use
 * no named statements.
 */
export type ServerKind = 'postgres' | 'pglite';

/** PGlite names itself in version(): "PostgreSQL 18.6 (PGlite 0.5.14) on wasm32-unknown-emscripten, ...". */
export function serverKindOf(version: string): ServerKind {
  return /\(PGlite [^)]*\)/.test(version) ? 'pglite' : 'postgres';
}

/**
 * Asks the server at `url` what it is, on a connection of its own (closed before returning), so a
 * URL that points at PGlite is recognised whether or not whoever configured it said so.
 * Rejects when the server cannot be reached.
 */
export async function detectServerKind(url: string, options: { timeoutMs?: number; applicationName?: string } = {}): Promise<ServerKind> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.timeoutMs ?? 30_000,
    application_name: options.applicationName ?? 'correio-probe',
  });
  // A connection lost mid-probe must not crash the process: the pending call rejects instead.
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
    return serverKindOf(rows[0]?.version ?? '');
  } finally {
    await client.end().catch(() => {});
  }
}
