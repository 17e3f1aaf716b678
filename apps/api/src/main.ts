import cluster from 'node:cluster';
import { formatBanner } from './bootstrap/banner.js';
import { runClusterPrimary, type WorkerReady } from './bootstrap/cluster-primary.js';
import { createApp } from './bootstrap/create-app.js';
import { createLogger } from './bootstrap/logger.js';
import type { AppConfig } from './config/config.schema.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { openDatabase } from './database/open-database.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`correio: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** One serving process: the whole application for the configured roles. */
async function runServer(config: AppConfig): Promise<void> {
  const logger = createLogger(config);
  const db = await openDatabase(config, { allowShared: false, applicationName: 'correio-api' });
  const running = await createApp(config, db, logger).catch(async (err: unknown) => {
    await db.close().catch(() => {});
    throw err;
  });
  const { app: _app, ...serving } = running;
  const report = { ...serving, database: db.description };
  if (cluster.isWorker) process.send?.({ type: 'correio-ready', ...report } satisfies WorkerReady);
  else console.log(formatBanner(config, report));

  // Graceful shutdown: listeners close, in-flight SMTP transactions finish or get 421, then the
  // database closes (the embedded one last, so nothing is cut mid-write).
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${why}, shutting down`);
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await running.app.close().catch((err: Error) => logger.error(err.message));
    await db.close().catch((err: Error) => logger.error(err.message));
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM received'));
  process.on('SIGINT', () => void stop('SIGINT received'));
  // A worker whose primary died (even by SIGKILL) must not live on unsupervised.
  if (cluster.isWorker) process.on('disconnect', () => void stop('cluster primary gone'));
}

async function main(): Promise<void> {
  const config = configOrExit();
  if (cluster.isPrimary && config.workers > 1) await runClusterPrimary(config);
  else await runServer(config);
}

main().catch((err: unknown) => {
  console.error(`correio: failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
