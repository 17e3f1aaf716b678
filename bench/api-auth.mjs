#!/usr/bin/env node
// API key authentication overhead (issue 13): what a request authenticated with
// `Authorization: Bearer <API key>` costs over the same request with the webmail's session cookie.
//
//   node bench/api-auth.mjs [--rounds 30] [--per-round 200] [--path /api/v1/auth/me]
//
// Starts the built API (role http) on a throwaway PostgreSQL database, makes an account, logs in
// (cookie) and creates a key with that session, then times GET <path> over one keep-alive
// connection per path, sequentially (one request in flight), the two paths interleaved in rounds
// (the order rotates each round) so both see the same machine load. Prints per path the median
// latency, and the key path's overhead: the median over rounds of (key median − cookie median),
// with its interquartile range. A second cookie connection timed the same way gives the noise
// floor (cookie − cookie), which on a loaded machine is the resolution of the figure. Because wall
// time on a shared 2-core machine is mostly waiting, it also prints the API process's CPU time per
// request for each path (from /proc/<pid>/stat, all threads; both paths make the same two indexed
// reads, so PostgreSQL's share is the same and left out) — the cost a key adds, without the queueing.
// Target: < 0.2 ms. The rate limiters are on (with limits no run reaches), so their cost is counted.
//
// Needs: a built API (npm run build) and PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL /
// postgresql://postgres@127.0.0.1:5432/postgres. Loopback only.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanup, cleanups, createDatabase, handleSignals, loadavg, log, median, printUsage, runCli, startCorreio } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    'per-round': { type: 'string', default: '200' },
    path: { type: 'string', default: '/api/v1/auth/me' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 16);
const ROUNDS = Number(args.rounds);
const PER_ROUND = Number(args['per-round']);
const PATH = args.path;
const USER = { address: 'bench@bench.test', password: 'bench-password-1' };

/** One request over `agent` (keep-alive, one socket): resolves with status and body. */
function request(port, agent, method, urlPath, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU time (user + system, ms) the process has used so far, all threads; Linux clock ticks are 10 ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function timeBatch(port, agent, headers, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await request(port, agent, 'GET', PATH, headers);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (res.status !== 200) throw new Error(`GET ${PATH} → ${res.status} ${res.body}`);
  }
  return times;
}

async function main() {
  handleSignals();
  const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(server);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-auth-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: {
      CORREIO_ROLES: 'http',
      CORREIO_DOMAIN: 'bench.test',
      CORREIO_ADMIN_PASSWORD: 'bench-admin-password',
      CORREIO_API_RATE_LIMIT_PER_KEY: '1000000000',
      CORREIO_API_RATE_LIMIT_PER_IP: '1000000000',
    },
  });
  runCli(api.env, ['account', 'add', USER.address, '--password', USER.password]);
  const port = api.ports.api;
  const setup = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const login = await request(port, setup, 'POST', '/api/v1/auth/login', { 'content-type': 'application/json' }, JSON.stringify(USER));
  if (login.status !== 200) throw new Error(`login → ${login.status} ${login.body}`);
  const cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0];
  const { csrfToken } = JSON.parse(login.body);
  const created = await request(
    port,
    setup,
    'POST',
    '/api/v1/api-keys',
    { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    JSON.stringify({ name: 'bench', scopes: ['mail:read'] }),
  );
  if (created.status !== 201) throw new Error(`create key → ${created.status} ${created.body}`);
  const { key } = JSON.parse(created.body);
  setup.destroy();

  const paths = {
    cookie: { headers: { cookie }, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), all: [], medians: [], cpu: [] },
    cookie2: { headers: { cookie }, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), all: [], medians: [], cpu: [] },
    key: { headers: { authorization: `Bearer ${key}` }, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }), all: [], medians: [], cpu: [] },
  };
  // Warm-up: JIT, connection, the database's caches; then the key's last-use write is behind us.
  for (const p of Object.values(paths)) await timeBatch(port, p.agent, p.headers, 500);
  log(`timing GET ${PATH}: ${ROUNDS} rounds × ${PER_ROUND} requests per path (load ${loadavg()})`);
  const names = Object.keys(paths);
  const diffs = [];
  const noise = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) {
      const p = paths[name];
      const cpu0 = cpuMs(api.pid);
      const t = await timeBatch(port, p.agent, p.headers, PER_ROUND);
      p.cpu.push((cpuMs(api.pid) - cpu0) / PER_ROUND);
      p.all.push(...t);
      p.medians.push(median(t));
    }
    diffs.push(paths.key.medians[r] - paths.cookie.medians[r]);
    noise.push(paths.cookie2.medians[r] - paths.cookie.medians[r]);
  }
  const ms = (x) => `${x.toFixed(3)} ms`;
  const quartiles = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `${ms(s[Math.floor(s.length / 4)])} … ${ms(s[Math.floor((3 * s.length) / 4)])}`;
  };
  const overhead = median(diffs);
  console.log(`GET ${PATH}, one keep-alive connection per path, sequential, ${ROUNDS} interleaved rounds × ${PER_ROUND} requests`);
  console.log(`  session cookie: median ${ms(median(paths.cookie.all))}`);
  console.log(`  API key (Bearer): median ${ms(median(paths.key.all))}`);
  console.log(`  API key overhead per request: ${ms(overhead)} (median of per-round differences, IQR ${quartiles(diffs)}; target < 0.2 ms) → ${overhead < 0.2 ? 'met' : 'NOT met'}`);
  console.log(`  noise floor (cookie − cookie on a second connection): ${ms(median(noise))} (IQR ${quartiles(noise)})`);
  const cpuTotal = (p) => p.cpu.reduce((a, b) => a + b, 0) / p.cpu.length;
  const cpuDiff = cpuTotal(paths.key) - cpuTotal(paths.cookie);
  console.log(
    `  API process CPU per request: cookie ${ms(cpuTotal(paths.cookie))}, cookie (2nd) ${ms(cpuTotal(paths.cookie2))}, key ${ms(cpuTotal(paths.key))} → key − cookie ${ms(cpuDiff)} (${cpuDiff < 0.2 ? 'met' : 'NOT met'})`,
  );
  console.log(`  load average after: ${loadavg()}`);
  for (const p of Object.values(paths)) p.agent.destroy();
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
