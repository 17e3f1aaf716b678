// Profiles Correio's IMAP FETCH path alone (no Dovecot): a fresh database, N messages (default
// 10,000) by MULTIAPPEND, then 6 × (UID FETCH 1:* (FLAGS ENVELOPE), FETCH 1:1000 BODY.PEEK[]),
// printing each time. PROF=1 samples the API's CPU into /tmp/prof (bench/lib/cpu-profile.cjs);
// the first sync includes computing and keeping every message's structure.
//   N=10000 PROF=1 node bench/imap-fetch-profile.mjs      (SYNC_ONLY=1: the full syncs alone)
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanups, createDatabase, freePort, runCli, startCorreio } from './lib/harness.mjs';
import { appendCorpus } from './imap/load.mjs';
import { fullSync, fetchBodies } from './imap/metrics.mjs';
const db = await createDatabase('postgresql://postgres@127.0.0.1:5432/postgres');
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zz-'));
const imap = await freePort();
const c = await startCorreio({ databaseUrl: db.url, dataDir, env: { CORREIO_ROLES: 'imap', CORREIO_IMAP_PORT: String(imap), CORREIO_IMAPS_PORT: String(await freePort()), CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true', CORREIO_DOMAIN: 'bench.test', CORREIO_ADMIN_ADDRESS: 'postmaster@bench.test', CORREIO_ADMIN_PASSWORD: 'bench-password', NODE_OPTIONS: process.env.PROF ? `--require ${new URL('./lib/cpu-profile.cjs', import.meta.url).pathname}` : '', BENCH_CPU_PROFILE_DIR: '/tmp/prof' } });
runCli(c.env, ['account', 'add', 'u@bench.test', '--password', 'bench-password', '--quota', '0']);
const N = Number(process.env.N ?? 10000);
await appendCorpus(imap, 'u@bench.test', 'bench-password', 'mixed', N, { connections: 3 });
const target = { name: 'correio', port: () => imap, password: 'bench-password' };
for (let i = 0; i < 6; i++) {
  const r = await fullSync(target, 'u@bench.test', N);
  const b = process.env.SYNC_ONLY ? { ms: 0 } : await fetchBodies(target, 'u@bench.test', 1000);
  console.log(`sync ${r.fetchMs.toFixed(1)} ms, body ${b.ms.toFixed(1)} ms`);
}
await c.stop();
// The database and data directory go with the harness's cleanups (SIGTERM-safe too).
for (const c of cleanups.reverse()) await c();
process.exit(0);
