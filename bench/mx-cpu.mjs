#!/usr/bin/env node
// CPU time of Correio's MX per received message: a measure that other work on the machine hardly
// moves (unlike msg/s), for tuning the MX on a shared machine. See bench/README.md.
//
//   node bench/mx-cpu.mjs [--messages N] [--sizes 4096,102400] [--sessions 1,10,50] [--rounds R]
//                         [--profile DIR]
//
// Starts the built API (MX only) on a throwaway database, warms it up, then for each cell sends N
// messages with Postfix's smtp-source (a new connection per message, as bench/smtp-ingest.mjs does)
// and reads the CPU time (user + system, /proc/<pid>/stat) of the API process and its children
// (CORREIO_WORKERS) before and after. Prints ms of CPU per message and msg/s per cell and round.
// --profile DIR: the API samples its CPU (bench/lib/cpu-profile.cjs) into DIR, written at exit.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { cleanup, cleanups, children, createDatabase, fmtSize, handleSignals, loadavg, log, median, runCli, startCorreio } from './lib/harness.mjs';
import { ensurePostfix, SMTP_SOURCE_BIN } from './lib/postfix.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const DOMAIN = 'bench.test';
const RCPT = `sink@${DOMAIN}`;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    sizes: { type: 'string', default: '4096' },
    sessions: { type: 'string', default: '1,10,50' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'string' },
  },
});
handleSignals();

const TICK_MS = 1000 / 100; // USER_HZ: /proc reports CPU time in 1/100 s on Linux

/** CPU ms (user + system) of pid and every process below it. */
function treeCpuMs(root) {
  const stats = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK_MS });
    } catch {
      /* gone meanwhile */
    }
  }
  let total = 0;
  const walk = (pid) => {
    total += stats.get(pid)?.cpu ?? 0;
    for (const [p, s] of stats) if (s.ppid === pid) walk(p);
  };
  walk(root);
  return total;
}

function smtpSource(port, size, sessions, count) {
  const argv = ['-4', '-c', '-s', String(sessions), '-m', String(count), '-l', String(size), '-M', 'loadgen.client.test', '-f', 'loadgen@client.test', '-t', RCPT, `127.0.0.1:${port}`];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(SMTP_SOURCE_BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`smtp-source exited ${code}: ${stderr}`));
      resolve(Number(process.hrtime.bigint() - t0) / 1e9);
    });
  });
}

async function main() {
  const problem = await ensurePostfix({ install: true, log });
  if (problem) throw new Error(problem);
  const db = await createDatabase(process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-mxcpu-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const env = { CORREIO_ROLES: 'smtp', CORREIO_DOMAIN: DOMAIN, CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`, CORREIO_ADMIN_PASSWORD: 'bench-admin-pw-1' };
  if (args.profile) {
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(here, 'lib/cpu-profile.cjs')}`.trim();
    env.BENCH_CPU_PROFILE_DIR = path.resolve(args.profile);
  }
  const api = await startCorreio({ databaseUrl: db.url, dataDir, env });
  // The CLI is not profiled: only the API's NODE_OPTIONS carry the profiler.
  const { NODE_OPTIONS: _profiler, BENCH_CPU_PROFILE_DIR: _dir, ...cliEnv } = api.env;
  runCli({ ...cliEnv, ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) }, ['account', 'add', RCPT, '--password', 'bench-sink-pw-1']);
  const port = api.ports.smtp;
  log(`API pid ${api.pid}, MX on ${port}; load ${loadavg()}; warm-up ...`);
  await smtpSource(port, 4096, 1, 300);
  await smtpSource(port, 4096, 10, 1500);
  const n = Number(args.messages);
  const results = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const size of args.sizes.split(',').map(Number)) {
      for (const sessions of args.sessions.split(',').map(Number)) {
        const c0 = treeCpuMs(api.pid);
        const seconds = await smtpSource(port, size, sessions, n);
        const cpu = treeCpuMs(api.pid) - c0;
        const row = { size, sessions, cpuPerMsg: cpu / n, rate: n / seconds, load: os.loadavg()[0] };
        results.push(row);
        log(`round ${round + 1}: ${fmtSize(size)} × ${sessions}: ${row.cpuPerMsg.toFixed(3)} ms CPU/msg, ${row.rate.toFixed(1)} msg/s (load ${row.load.toFixed(2)})`);
      }
    }
  }
  console.log(`MX CPU per message, ${n} messages per cell, ${args.rounds} rounds, load at the end ${loadavg()}`);
  console.log('| size | sessions | CPU ms/msg (median) | all rounds | msg/s (median) |');
  console.log('|:--|--:|--:|:--|--:|');
  for (const size of args.sizes.split(',').map(Number)) {
    for (const sessions of args.sessions.split(',').map(Number)) {
      const rows = results.filter((r) => r.size === size && r.sessions === sessions);
      console.log(`| ${fmtSize(size)} | ${sessions} | ${median(rows.map((r) => r.cpuPerMsg)).toFixed(3)} | ${rows.map((r) => r.cpuPerMsg.toFixed(2)).join(' ')} | ${median(rows.map((r) => r.rate)).toFixed(1)} |`);
    }
  }
  // A graceful stop (SIGTERM), so the profiler's exit handler writes its file; cleanup() would SIGKILL.
  await api.stop();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
