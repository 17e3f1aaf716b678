// FETCH 1:1000 BODY.PEEK[] alone, per API process: CPU of the API (all threads' schedstat, so
// the kernel's socket copies and V8's compiler threads count) and of the database's backends per FETCH, and wall time; a new
// connection per FETCH as bench/imap.mjs does. For A/B runs of builds on one kept database:
//   DB=<url from KEEP=1 imap-fetch-profile.mjs> API=<dist/main.js> PROCS=3 REPS=10 node bench/imap-body-cpu.mjs
// Each API process: WARM unmeasured FETCHes, then REPS measured; one line per process.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanups, freePort, startCorreio, imapOnlyEnv } from './lib/harness.mjs';
import { connectImap } from './imap/client.mjs';

/** CPU time of a process in ms, all its threads (V8's compiler and GC threads too): /proc/<pid>/task/<tid>/schedstat, in ns. */
const cpuOf = (pid, mainOnly = false) => {
  let ns = 0;
  try {
    for (const t of mainOnly ? [String(pid)] : readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
  } catch {}
  return ns / 1e6;
};
const dbName = new URL(process.env.DB).pathname.slice(1);
/** CPU of every PostgreSQL backend connected to the database. */
const dbCpu = () => {
  let sum = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(` ${dbName} `)) sum += cpuOf(p);
    } catch {}
  }
  return sum;
};
const median = (a) => (a.length ? [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] : Number.NaN);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-body-cpu-'));
let imap = 0;
// The API processes stop and the data directory goes also on a failure (a throw mid-run once left an API running).
try {
  for (let p = 0; p < Number(process.env.PROCS ?? 3); p++) {
    imap = await freePort();
    const c = await startCorreio({
      apiMain: process.env.API || undefined,
      databaseUrl: process.env.DB,
      dataDir,
      env: {
        ...imapOnlyEnv(imap, await freePort()),
        NODE_OPTIONS: `${process.env.API_NODE_OPTIONS ?? ''}${process.env.PROF ? ` --require ${new URL('./lib/cpu-profile.cjs', import.meta.url).pathname}` : ''}`,
        BENCH_CPU_PROFILE_DIR: process.env.PROF ? '/tmp/prof' : '',
        BENCH_CPU_PROFILE_ON_SIGNAL: process.env.PROF === 'all' ? '' : '1',
      },
    });
    for (let i = 0; i < Number(process.env.WARM ?? 1); i++) {
      const w = await connectImap(imap);
      await w.login('u@bench.test', 'bench-password');
      await w.command('SELECT INBOX');
      await w.command('FETCH 1:1000 BODY.PEEK[]');
      await w.logout();
    }
    const wall = [];
    const cpu = [];
    const pg = [];
    const main = [];
    for (let i = 0; i < Number(process.env.REPS ?? 10); i++) {
      const client = await connectImap(imap);
      await client.login('u@bench.test', 'bench-password');
      await client.command('SELECT INBOX');
      await new Promise((res) => setTimeout(res, 20)); // LOGIN's argon2 threads settle
      const c0 = cpuOf(c.pid);
      const t00 = cpuOf(c.pid, true);
      const d0 = dbCpu();
      // PROF=1: the API samples its CPU during the first measured FETCH only (bench/lib/cpu-profile.cjs, on SIGUSR2).
      const profiled = process.env.PROF === '1' && i === 0;
      if (profiled) process.kill(c.pid, 'SIGUSR2');
      const m0 = process.hrtime.bigint() / 1000n;
      const t0 = performance.now();
      const r = await client.command('FETCH 1:1000 BODY.PEEK[]');
      wall.push(performance.now() - t0);
      // PROF=all: the whole process is sampled; these marks (µs, CLOCK_MONOTONIC, the profile's clock) cut it.
      if (process.env.PROF === 'all') console.log(`mark ${p} ${i} ${m0} ${process.hrtime.bigint() / 1000n}`);
      if (profiled) process.kill(c.pid, 'SIGUSR2');
      if (r.untagged !== 1000) throw new Error(`${r.untagged} responses`);
      // /proc's ticks lag a little: read after a short pause so the last writes are counted.
      await new Promise((res) => setTimeout(res, 20));
      cpu.push(cpuOf(c.pid) - c0);
      main.push(cpuOf(c.pid, true) - t00);
      pg.push(dbCpu() - d0);
      await client.logout();
    }
    const f = (a) => a.map((x) => x.toFixed(0)).join(' ');
    // The first three measured FETCHes are bench/imap.mjs's (one warm-up, then three): a young process, V8 still optimizing.
    const m = (a) => median(a).toFixed(1);
    console.log(
      `proc ${p}: first 3: wall ${m(wall.slice(0, 3))} API cpu ${m(cpu.slice(0, 3))} db cpu ${m(pg.slice(0, 3))}; rest: wall ${m(wall.slice(3))} API cpu ${m(cpu.slice(3))} db cpu ${m(pg.slice(3))} (ms, medians); wall [${f(wall)}] cpu [${f(cpu)}] main thread [${f(main)}]; load ${os.loadavg()[0].toFixed(2)}`,
    );
    if (process.env.SHOW_OUTPUT) (await import('node:fs')).writeFileSync(process.env.SHOW_OUTPUT, c.output());
    await c.stop();
  }
} finally {
  for (const c of cleanups.reverse()) await c();
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(0);
