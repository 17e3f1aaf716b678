#!/usr/bin/env node
// CPU time per IMAP command of the one-session mixed load (bench/imap.mjs's loop: SELECT, FETCH 20
// (FLAGS ENVELOPE), FETCH 1 BODY.PEEK[], STORE, APPEND, UID STORE \Deleted, EXPUNGE), Correio alone:
// the API process and the PostgreSQL backends of its database, from /proc/<pid>/stat around each
// command. CPU per command moves much less with other work on the machine than wall time does, so
// builds can be compared on a shared machine: give several --api builds, they run alternately.
//
//   npm run build && node bench/imap-command-cpu.mjs [--loops N] [--rounds R] [--api path/to/dist/main.js ...] [--profile DIR]
//
// Default: this tree's build only; e.g. `--api apps/api/dist/main.js --api /work/main/apps/api/dist/main.js`
// runs A, B, B, A, ... (R rounds). Each build gets its own throwaway database with one account of
// 300 'mixed' messages (stored by that build's APPEND), 20 loops of warm-up, then N measured loops.
// Prints per command: median wall ms, API CPU ms and PostgreSQL CPU ms per command (means).
// --profile DIR: each API writes a .cpuprofile there when it stops (bench/lib/cpu-profile.cjs).
// --analyze: VACUUM (ANALYZE) the database after loading (statistics of one account of 300 messages:
// some statements' plans differ with them, ARCHITECTURE.md "A named statement must keep its generic plan").
// --trace: the first measured run of each build under `strace -f`: the API's socket writes per
// command, to PostgreSQL (≈ statements and round trips) and to the client (one per response burst
// is the goal). strace slows the API down: its CPU figures are then not comparable, only the counts.
// The last line, "whole run", is the CPU of the API and of every backend of its database over the
// measured loops, between commands included (work done after a command answered, e.g. the blob
// reaper, falls outside the per-command windows).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { API_MAIN, cleanups, createDatabase, freePort, handleSignals, imapOnlyEnv, loadavg, median, runCli, startCorreio } from './lib/harness.mjs';
import { connectImap } from './imap/client.mjs';
import { makeMessage } from './imap/corpus.mjs';
import { appendCorpus } from './imap/load.mjs';

const { values: args } = parseArgs({
  options: {
    loops: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '2' },
    api: { type: 'string', multiple: true },
    profile: { type: 'string' },
    trace: { type: 'boolean', default: false },
    analyze: { type: 'boolean', default: false },
  },
});
handleSignals();
const LOOPS = Number(args.loops);
const ROUNDS = Number(args.rounds);
const apis = (args.api ?? [API_MAIN]).map((p) => path.resolve(p));
const SERVER = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const TICK_MS = 10; // USER_HZ = 100

function cpuMs(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

async function setUp(apiMain) {
  const db = await createDatabase(SERVER);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'imap-cpu-'));
  const imap = await freePort();
  const c = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    apiMain,
    env: {
      ...imapOnlyEnv(imap, await freePort()),
      ...(args.profile
        ? { NODE_OPTIONS: `--require ${new URL('./lib/cpu-profile.cjs', import.meta.url).pathname}`, BENCH_CPU_PROFILE_DIR: args.profile }
        : {}),
    },
  });
  runCli(c.env, ['account', 'add', 'mix@bench.test', '--password', 'bench-password', '--quota', '0'], path.join(path.dirname(apiMain), 'cli/main.js'));
  await appendCorpus(imap, 'mix@bench.test', 'bench-password', 'mixed', 300);
  if (args.analyze) {
    // Statistics, as autovacuum gives a server in use (bench/imap.mjs does the same after loading):
    // with them PostgreSQL's plan cache decides generic or custom plans as it would there.
    const db1 = new pg.Client({ connectionString: db.url });
    await db1.connect();
    await db1.query('VACUUM (ANALYZE)');
    await db1.end();
  }
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  const client = await connectImap(imap);
  await client.login('mix@bench.test', 'bench-password');
  return { apiMain, db, c, admin, client, loops: 0 };
}

async function backends(s) {
  const { rows } = await s.admin.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [s.db.name]);
  return rows.map((r) => r.pid);
}

/** One loop of the mixed load; `measure(name, run)` wraps each command. */
async function loop(s, measure) {
  const c = s.client;
  const k = s.loops++;
  const sel = await measure('SELECT', () => c.command('SELECT INBOX', { collect: true }));
  const n = Number(/\* (\d+) EXISTS/.exec(sel.lines.join('\n'))?.[1] ?? 0);
  const a = 1 + ((k * 37) % Math.max(1, n - 20));
  await measure('FETCH 20 (FLAGS ENVELOPE)', () => c.command(`FETCH ${a}:${Math.min(n, a + 19)} (FLAGS ENVELOPE)`));
  const one = 1 + ((k * 53) % n);
  await measure('FETCH BODY.PEEK[]', () => c.command(`FETCH ${one} BODY.PEEK[]`));
  await measure('STORE', () => c.command(`STORE ${one} +FLAGS.SILENT (\\Seen)`));
  const app = await measure('APPEND', () => c.append('INBOX', makeMessage(100_000 + (k % 1000), { profile: 'text', to: 'mix@bench.test' })));
  const uid = /APPENDUID \d+ (\d+)/i.exec(app.text)?.[1];
  if (!uid) throw new Error(`APPEND gave no APPENDUID: ${app.text}`);
  await measure('UID STORE', () => c.command(`UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`));
  await measure('EXPUNGE', () => c.command('EXPUNGE'));
}

async function run(s, loops, trace) {
  const pids = await backends(s);
  const stats = {};
  const windows = [];
  const tracer = trace ? await startTrace(s.c.pid) : undefined;
  const measure = async (name, fn) => {
    const api0 = cpuMs(s.c.pid);
    const pg0 = pids.reduce((t, p) => t + cpuMs(p), 0);
    const t0 = performance.now();
    const out = await fn();
    const wall = performance.now() - t0;
    if (tracer) windows.push({ name, from: (performance.timeOrigin + t0) / 1000, to: (performance.timeOrigin + t0 + wall) / 1000 });
    stats[name] ??= { wall: [], api: 0, pg: 0, n: 0 };
    const st = stats[name];
    st.wall.push(wall);
    st.api += cpuMs(s.c.pid) - api0;
    st.pg += pids.reduce((t, p) => t + cpuMs(p), 0) - pg0;
    st.n++;
    return out;
  };
  const api0 = cpuMs(s.c.pid);
  const pg0 = pids.reduce((t, p) => t + cpuMs(p), 0);
  for (let i = 0; i < loops; i++) await loop(s, measure);
  // The reaper and anything else a command left for later: 0.5 s to run, inside the totals.
  await new Promise((r) => setTimeout(r, 500));
  const later = await backends(s);
  // Backends opened during the run count from their start (all of their CPU is inside it).
  const pgAll = later.reduce((t, p) => t + cpuMs(p), 0) - pg0;
  stats['whole run'] = { wall: [0], api: cpuMs(s.c.pid) - api0, pg: pgAll, n: loops, whole: true };
  if (tracer) stats.trace = await stopTrace(tracer, windows);
  return stats;
}

/** strace -f of the API's socket writes, with times (-ttt) and peer addresses (-yy). */
async function startTrace(pid) {
  const file = path.join(os.tmpdir(), `imap-cpu-trace-${pid}-${Date.now()}.txt`);
  const child = spawn('strace', ['-f', '-ttt', '-yy', '-e', 'trace=write,writev,sendto,sendmsg', '-p', String(pid), '-o', file], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 1000)); // attached to every thread
  return { child, file };
}

async function stopTrace({ child, file }, windows) {
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  const pgPort = new URL(SERVER).port || '5432';
  const counts = {};
  let w = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\d+\s+(\d+\.\d+) \w+\((\d+)<(TCP:\[[^\]]*\])>/.exec(line);
    if (!m) continue;
    const t = Number(m[1]);
    while (w < windows.length && windows[w].to < t) w++;
    const name = w < windows.length && windows[w].from <= t ? windows[w].name : 'between commands';
    counts[name] ??= { pg: 0, client: 0 };
    counts[name][m[3].endsWith(`:${pgPort}]`) ? 'pg' : 'client']++;
  }
  return counts;
}

const setups = [];
for (const api of apis) setups.push(await setUp(api));
for (const s of setups) await run(s, 20, false); // warm-up: JIT, plans, caches
const totals = new Map(setups.map((s) => [s, {}]));
const order = [];
for (let r = 0; r < ROUNDS; r++) order.push(...(r % 2 === 0 ? setups : [...setups].reverse()));
console.log(`${LOOPS} loops × ${ROUNDS} rounds per build, one session; load at start ${loadavg()}`);
const traces = new Map();
for (const s of order) {
  const trace = args.trace && !traces.has(s);
  const stats = await run(s, LOOPS, trace);
  if (trace) {
    traces.set(s, stats.trace);
    delete stats.trace;
    continue; // strace slows the API: its CPU figures stay out of the tables
  }
  const into = totals.get(s);
  for (const [name, st] of Object.entries(stats)) {
    into[name] ??= { wall: [], api: 0, pg: 0, n: 0, whole: st.whole };
    const t = into[name];
    t.wall.push(...st.wall);
    t.api += st.api;
    t.pg += st.pg;
    t.n += st.n;
  }
}
for (const s of setups) {
  console.log(`\n${s.apiMain}`);
  console.log('| command | wall median ms | API CPU ms | PostgreSQL CPU ms |');
  console.log('|:--|--:|--:|--:|');
  let api = 0;
  let pgc = 0;
  for (const [name, t] of Object.entries(totals.get(s))) {
    if (t.whole) continue;
    console.log(`| ${name} | ${median(t.wall).toFixed(2)} | ${(t.api / t.n).toFixed(2)} | ${(t.pg / t.n).toFixed(2)} |`);
    api += t.api / t.n;
    pgc += t.pg / t.n;
  }
  console.log(`| one loop (7 commands) | | ${api.toFixed(2)} | ${pgc.toFixed(2)} |`);
  const whole = totals.get(s)['whole run'];
  if (whole) console.log(`| whole run, per loop (between commands too) | | ${(whole.api / whole.n).toFixed(2)} | ${(whole.pg / whole.n).toFixed(2)} |`);
  const counts = traces.get(s);
  if (counts) {
    console.log('\n| command (strace run) | socket writes to PostgreSQL per command | to the client per command |');
    console.log('|:--|--:|--:|');
    for (const [name, c] of Object.entries(counts)) {
      console.log(`| ${name} | ${(c.pg / LOOPS).toFixed(2)} | ${(c.client / LOOPS).toFixed(2)} |`);
    }
  }
}
console.log(`\nload at end ${loadavg()}`);
for (const s of setups) {
  await s.client.logout().catch(() => {});
  await s.admin.end();
}
for (const c of cleanups.reverse()) await c();
process.exit(0);
