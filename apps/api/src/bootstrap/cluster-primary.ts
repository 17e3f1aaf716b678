import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '../config/config.schema.js';
import { openDatabase } from '../database/open-database.js';
import { loadTlsMaterial } from '../tls/tls-material.js';
import { formatBanner, type ServingInfo } from './banner.js';

/** What a worker reports once it serves (sent over the cluster IPC channel). */
export interface WorkerReady extends ServingInfo {
  type: 'correio-ready';
  database: string;
}

/**
 * The cluster primary (CORREIO_WORKERS > 1): does the once-only work before any worker starts —
 * migrations, and the self-signed certificate, which two workers generating at once could leave
 * as a mismatched pair — then forks the workers, which share every listening socket (node:cluster
 * hands connections to them in turn). It prints one banner, replaces a worker that dies, and on
 * SIGTERM/SIGINT stops them all gracefully (each finishes its SMTP transactions or answers 421).
 */
export async function runClusterPrimary(config: AppConfig): Promise<void> {
  const db = await openDatabase(config, { allowShared: false, applicationName: 'correio-primary' });
  await db.close();
  // PGlite is one session: workers' connections would collide as a pool's do (open-database.ts).
  if (db.isPglite) throw new Error(`CORREIO_WORKERS=${config.workers} needs a PostgreSQL server, and DATABASE_URL is PGlite`);
  if (config.roles.includes('smtp')) await loadTlsMaterial(config);

  // Workers accept connections themselves (the kernel spreads them). The default round-robin
  // passes every connection from the primary to a worker over IPC: measurable on short SMTP
  // sessions (connect→220 went from 0.33 to 0.71 ms).
  cluster.schedulingPolicy = cluster.SCHED_NONE;

  let stopping = false;
  const ready = new Map<number, WorkerReady>();
  let bannerShown = false;
  const fork = (): Worker => {
    const w = cluster.fork();
    w.on('message', (msg: WorkerReady) => {
      if (msg?.type !== 'correio-ready') return;
      ready.set(w.id, msg);
      if (!bannerShown && ready.size === config.workers) {
        bannerShown = true;
        const reports = [...ready.values()];
        const first = reports[0]!;
        const created = reports.find((r) => r.firstRun.created);
        const { type: _type, ...info } = first;
        console.log(
          formatBanner(config, {
            ...info,
            database: `${first.database}; ${config.workers} worker processes`,
            firstRun: created?.firstRun ?? first.firstRun,
          }),
        );
      }
    });
    return w;
  };
  for (let i = 0; i < config.workers; i++) fork();

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    console.error(`correio: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`correio: ${signal} received, stopping ${config.workers} workers`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(1), 35_000).unref();
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
