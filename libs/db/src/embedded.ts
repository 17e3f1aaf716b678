import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly) persisted under a data folder and
 * served over the PostgreSQL wire protocol on 127.0.0.1, so the rest of Correio uses exactly the
 * same `pg`/Prisma code path as against a real server.
 *
 * PGlite's folder belongs to one process. The owner writes `<dataDir>/embedded-pg.json` with its pid
 * and port; anyone else (the admin CLI while the service runs) connects to that port instead of
 * opening the folder, and a second owner is refused while the first is alive.
 */

export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** The whole data directory as a tarball (an in-memory instance's template for later ones). */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

export interface EmbeddedInfo {
  pid: number;
  port: number;
}

const INFO_FILE = 'embedded-pg.json';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running owner of dataDir, if any (stale files of dead processes are ignored). */
export function findRunningEmbedded(dataDir: string): EmbeddedInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(path.join(dataDir, INFO_FILE), 'utf8')) as EmbeddedInfo;
    return info.pid !== process.pid && isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export function embeddedUrl(port: number): string {
  return `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address() as net.AddressInfo;
      srv.close(() => resolve(addr.port));
    });
  });
}

/**
 * Starts PGlite on dataDir (or in memory when dataDir is undefined, for tests) and serves it on
 * 127.0.0.1:port (a free port when 0). An in-memory instance may start from loadDataDir, a data
 * directory dumped earlier (PGlite's dumpDataDir): the test suite's migrated template, which
 * starts in a fraction of initdb's time.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; loadDataDir?: Blob }): Promise<EmbeddedPostgres> {
  const { dataDir } = options;
  if (dataDir) {
    const running = findRunningEmbedded(dataDir);
    if (running) {
      throw new Error(`the embedded database in ${dataDir} is in use by process ${running.pid} (port ${running.port})`);
    }
    mkdirSync(path.join(dataDir, 'pg'), { recursive: true });
  }
  // The extensions the migrations create (20261207100000_imap: trigram search index) must be loaded.
  // Dynamic imports: the contrib modules' types are ESM only, and this package is CommonJS.
  const extensions = {
    pg_trgm: (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
    btree_gin: (await import('@electric-sql/pglite/contrib/btree_gin')).btree_gin,
  };
  const db = dataDir
    ? new PGlite(path.join(dataDir, 'pg'), { extensions })
    : new PGlite({ extensions, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  await db.waitReady;
  const port = options.port || (await freePort());
  // Several pg connections share PGlite's single session; the server keeps each transaction's
  // queries together. Session state (LISTEN, SET) is therefore shared: we do not rely on it.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 64 });
  await server.start();
  if (dataDir) writeFileSync(path.join(dataDir, INFO_FILE), JSON.stringify({ pid: process.pid, port }));
  let stopped = false;
  return {
    url: embeddedUrl(port),
    port,
    dump: () => db.dumpDataDir('none'),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      if (dataDir) rmSync(path.join(dataDir, INFO_FILE), { force: true });
    },
  };
}
