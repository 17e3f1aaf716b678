// Profiles Correio's IMAP FETCH path alone (no Dovecot): a fresh database, N messages (default
// 10,000) by MULTIAPPEND, then 6 × (UID FETCH 1:* (FLAGS ENVELOPE), FETCH 1:1000 BODY.PEEK[]),
// printing each time. PROF=1 samples the API's CPU into /tmp/prof (bench/lib/cpu-profile.cjs);
// the first sync includes computing and keeping every message's structure.
//   N=10000 PROF=1 node bench/imap-fetch-profile.mjs      (SYNC_ONLY=1: the full syncs alone)
// KEEP=1 leaves the database (its URL is printed); DB=<that URL> reuses it instead of loading the
// corpus again (the account u@bench.test with its N messages). COLD=1 restarts the API before
// each round (a fresh process: the "cold" sync of bench/imap.mjs without dropping the page cache).
// API=<path to another build's apps/api/dist/main.js> runs that build instead (A/B on one database).
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanups, createDatabase, freePort, runCli, startCorreio, imapOnlyEnv } from './lib/harness.mjs';
import { appendCorpus } from './imap/load.mjs';
import { fullSync, fetchBodies } from './imap/metrics.mjs';
const reuse = process.env.DB;
const db = reuse ? { url: reuse } : await createDatabase('postgresql://postgres@127.0.0.1:5432/postgres');
if (process.env.KEEP && !reuse) {
  cleanups.length = 0; // keep the database
  console.log(`database kept: DB=${db.url}`);
}
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'zz-'));
const imap = await freePort();
const imaps = await freePort();
const profiler = new URL('./lib/cpu-profile.cjs', import.meta.url).pathname;
const start = () =>
  startCorreio({
    apiMain: process.env.API || undefined,
    databaseUrl: db.url,
    dataDir,
    env: {
      ...imapOnlyEnv(imap, imaps),
      NODE_OPTIONS: process.env.PROF ? `--require ${profiler}` : '',
      BENCH_CPU_PROFILE_DIR: '/tmp/prof',
    },
  });
let c = await start();
const N = Number(process.env.N ?? 10000);
if (!reuse) {
  runCli(c.env, ['account', 'add', 'u@bench.test', '--password', 'bench-password', '--quota', '0']);
  await appendCorpus(imap, 'u@bench.test', 'bench-password', 'mixed', N, { connections: 3 });
}
const target = { name: 'correio', port: () => imap, password: 'bench-password' };
for (let i = 0; i < Number(process.env.ROUNDS ?? 6); i++) {
  if (process.env.COLD && i > 0) {
    await c.stop();
    c = await start();
  }
  const r = await fullSync(target, 'u@bench.test', N);
  const b = process.env.SYNC_ONLY ? { ms: 0 } : await fetchBodies(target, 'u@bench.test', Math.min(N, 1000));
  console.log(`sync ${r.fetchMs.toFixed(1)} ms (SELECT+FETCH ${r.selectFetchMs.toFixed(1)} ms), body ${b.ms.toFixed(1)} ms`);
  // With PROF=1: where the SELECT and the FETCH lie on the profiles' clock (bench/README).
  if (process.env.PROF) console.log(`  marks (µs, CLOCK_MONOTONIC): SELECT ${r.marks.select} FETCH ${r.marks.fetch} end ${r.marks.end}`);
}
await c.stop();
// The database (unless kept) and data directory go with the harness's cleanups (SIGTERM-safe too).
for (const c of cleanups.reverse()) await c();
process.exit(0);
