#!/usr/bin/env node
// Usage: node bench/smtp-ingest-ab.mjs --a <apps/api dist dir> [--b <dist dir>] [--rounds R]
//                                       [--sessions N] [--label-a A] [--label-b B]
//                                       [--db-setting name=value ...] [--db-setting-b name=value ...]
//                                       [--private-pg]
//
// Two builds of Correio's MX side by side, for a change to the end-of-data path: each build runs
// as its own API process (CORREIO_ROLES=smtp) on its own throwaway database on the real PostgreSQL,
// and the one-session latency probe of bench/smtp-ingest.mjs (sequential sessions of one 4 KiB
// message each, per-command reply times) alternates between them session by session, A,B,B,A,…,
// N sessions per build in each of R rounds (default 9): a burst of other work on a shared machine
// then hits both alike. Prints the medians of the round medians and of all sessions, per step and
// per build, and the load average.
//
// --b defaults to this checkout's apps/api/dist; --a is typically a copy of the dist of the build
// before the change (`cp -r apps/api/dist /tmp/dist-before` before rebuilding). Both builds use
// this checkout's node_modules and libs, so a change under libs/ is in both. No Postfix needed.
// --db-setting sets a PostgreSQL parameter on both throwaway databases before the APIs connect
// (ALTER DATABASE … SET), e.g. `--db-setting log_min_duration_statement=0` for the server's own
// statement times in its log, or `--db-setting synchronous_commit=off` to see the WAL flush's share
// (a diagnostic only: the MX's 250 promises a flushed COMMIT); --db-setting-b on B's database only.
// --private-pg: each build's database on a PostgreSQL cluster of its own (bench/lib/private-postgres.mjs)
// instead of BENCH_DATABASE_URL's shared server: neither build's WAL flushes queue behind the other's.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanup, cleanups, createDatabase, handleSignals, loadavg, log, median, printUsage, runCli, startCorreio } from './lib/harness.mjs';
import { startPrivatePostgres } from './lib/private-postgres.mjs';
import { commandLatencies, formatLatency } from './lib/smtp-latency.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOMAIN = 'bench.test';
const RCPT = `sink@${DOMAIN}`;

const { values: args } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: path.join(repoRoot, 'apps/api/dist') },
    'label-a': { type: 'string', default: 'A' },
    'label-b': { type: 'string', default: 'B' },
    rounds: { type: 'string', default: '9' },
    sessions: { type: 'string', default: '100' },
    'db-setting': { type: 'string', multiple: true, default: [] },
    'db-setting-b': { type: 'string', multiple: true, default: [] },
    'private-pg': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help || !args.a) printUsage(import.meta.url, 23);
handleSignals();

async function startBuild(dist, serverUrl, settings) {
  const main = path.resolve(dist, 'main.js');
  const cli = path.resolve(dist, 'cli/main.js');
  if (!existsSync(main) || !existsSync(cli)) throw new Error(`${dist} holds no built API (main.js, cli/main.js)`);
  const db = await createDatabase(serverUrl);
  if (settings.length > 0) {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      for (const setting of settings) {
        const [name, value] = setting.split(/=(.*)/s);
        if (!/^[a-z_.]+$/.test(name ?? '')) throw new Error(`--db-setting ${setting}: expected name=value`);
        await c.query(`ALTER DATABASE ${db.name} SET ${name} = ${c.escapeLiteral(value)}`);
      }
    } finally {
      await c.end();
    }
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-ab-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    apiMain: main,
    env: { CORREIO_ROLES: 'smtp', CORREIO_DOMAIN: DOMAIN, CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`, CORREIO_ADMIN_PASSWORD: 'bench-admin-pw-1' },
  });
  runCli(api.env, ['account', 'add', RCPT, '--password', 'bench-sink-pw-1'], cli);
  return { port: api.ports.smtp, pid: api.pid };
}

async function main() {
  // --private-pg: one cluster per build, so neither build's WAL flushes queue behind the other's.
  const shared = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const server = () => (args['private-pg'] ? startPrivatePostgres() : shared);
  const builds = {
    [args['label-a']]: await startBuild(args.a, await server(), args['db-setting']),
    [args['label-b']]: await startBuild(args.b, await server(), [...args['db-setting'], ...args['db-setting-b']]),
  };
  const names = Object.keys(builds);
  log(`${names.map((n) => `${n}: pid ${builds[n].pid}, port ${builds[n].port}`).join('; ')}; load ${loadavg()}`);
  const n = Number(args.sessions);
  // Warm-up (JIT, PostgreSQL's plan and buffer caches): not measured.
  for (const name of names) await commandLatencies(builds[name].port, RCPT, 300);
  const rounds = Number(args.rounds);
  const med = (list) => Object.fromEntries(Object.keys(list[0]).map((k) => [k, median(list.map((t) => t[k]))]));
  const probes = Object.fromEntries(names.map((name) => [name, []]));
  const loads = [loadavg()];
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    // Session by session, A then B then A…, the order flipping every round: on a machine whose
    // disk and CPUs other work shares, the two builds then see the same moments (rounds of whole
    // blocks of sessions did not: the fsync time swings by 2–3× from one second to the next).
    const order = round % 2 === 0 ? names : [...names].reverse();
    const inRound = Object.fromEntries(names.map((name) => [name, []]));
    for (let i = 0; i < n; i++) {
      for (const name of i % 2 === 0 ? order : [...order].reverse()) {
        const t = await commandLatencies(builds[name].port, RCPT, 1);
        inRound[name].push(t);
        samples[name].push(t);
      }
    }
    for (const name of order) {
      const t = med(inRound[name]);
      probes[name].push(t);
      log(`round ${round + 1} ${name}: end of data ${t['end of data'].toFixed(3)} ms, total ${Object.values(t).reduce((x, y) => x + y, 0).toFixed(3)} ms (load ${loadavg()})`);
    }
  }
  loads.push(loadavg());
  const eod = (name) => probes[name].map((t) => t['end of data'].toFixed(2)).join(' ');
  console.log(
    [
      `A = ${args.a}`,
      `B = ${args.b}`,
      `load average at start ${loads[0]}, at end ${loads[1]}`,
      '',
      `One message, one session at a time (4 KiB), medians of ${rounds} rounds × ${n} sessions, ms from the previous step:`,
      formatLatency(Object.fromEntries(names.map((name) => [name, med(probes[name])]))),
      '',
      `Medians of all ${rounds * n} sessions per build:`,
      formatLatency(Object.fromEntries(names.map((name) => [name, med(samples[name])]))),
      '',
      ...names.map((name) => `end of data per round, ${name}: ${eod(name)}`),
    ].join('\n'),
  );
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(cleanup);
