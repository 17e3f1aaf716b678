// A private PostgreSQL cluster for one benchmark run (`--private-pg`): initdb into /tmp, the
// server on a free loopback port, stock durability (fsync on, synchronous_commit on, the default
// wal_sync_method), removed afterwards. Why: the machine's shared server carries every other
// checkout's test databases, and its one WAL stream serializes their commits — and each CREATE
// DATABASE's checkpoint and copied template — with ours, so a COMMIT waits behind other people's
// WAL flushes (issue 10: 4–5 ms of a 6 ms end of data at load 15, against Postfix's private queue
// fsync). A private cluster still shares the disk, but not the WAL queue: the same footing as the
// private Postfix instance the benchmark compares with.
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanups, freePort, log, syncCleanups, userIds, waitForPort } from './harness.mjs';

const BIN = '/usr/lib/postgresql/15/bin';

/** Starts the cluster; resolves to its server URL (user postgres, trust on loopback). */
export async function startPrivatePostgres() {
  if (!existsSync(path.join(BIN, 'initdb'))) throw new Error(`--private-pg needs PostgreSQL 15's server binaries in ${BIN}`);
  const owner = await userIds('postgres');
  if (!owner) throw new Error('--private-pg needs the postgres system user (it runs the server)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-pg-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  // As the postgres user (the server refuses to run as root), started directly so signals reach it.
  const as = { uid: owner.uid, gid: owner.gid, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } };
  const init = spawnSync(path.join(BIN, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], { ...as, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const server = spawn(path.join(BIN, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'logging_collector=off'], {
    ...as,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Not in harness's `children` (SIGKILLed first thing at cleanup): the databases are dropped and the
  // clients closed before this server stops, last (its undo step was registered first). A second
  // Ctrl-C stops it at once (immediate shutdown).
  syncCleanups.push(() => server.kill('SIGQUIT'));
  let err = '';
  server.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
  const exited = new Promise((resolve) => server.once('exit', resolve));
  cleanups.push(async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGINT'); // fast shutdown
    const t = setTimeout(() => server.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  });
  try {
    await waitForPort(port, 30_000, { name: 'the private PostgreSQL', isAlive: () => server.exitCode === null });
  } catch (e) {
    throw new Error(`${e.message}\n${err}`);
  }
  log(`private PostgreSQL 15 in ${data} on 127.0.0.1:${port}`);
  return `postgresql://postgres@127.0.0.1:${port}/postgres`;
}
