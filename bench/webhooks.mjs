#!/usr/bin/env node
// Webhook latency benchmark (issue 13): mail arrives over SMTP at a steady rate; a webhook receiver
// (a real HTTP server in this process) records when each message.received request arrives. Prints
// p50/p95/p99/max of the latency from COMMIT to the receiver's request, measured two ways:
//   - from the SMTP client's "250" (sent after COMMIT): a slight underestimate (the 250's trip);
//   - from the event's timestamp (now() of the delivery statement, before its COMMIT): an
//     overestimate by the statement's own time and any group-commit wait.
// The target: p99 < 250 ms at 100 messages/s.
//
//   node bench/webhooks.mjs [--rate 100] [--seconds 30] [--split] [--keep]
//
// --split: the webhook worker in its own process (role delivery; the MX and REST in another, roles
// http,smtp), woken across processes by LISTEN/NOTIFY, as a deployment at scale runs them.
//
// Needs a built API (node_modules/.bin/turbo run build --filter=@correio/api) and PostgreSQL at
// BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres. Loopback only.
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cleanup, cleanups, createDatabase, handleSignals, loadavg, log, printUsage, sleep, startCorreio } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    split: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 13);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** One message on its own connection; resolves with performance.now() at the 250 after DATA. */
function sendOne(port, n) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    const msg = `From: loadgen@client.test\r\nTo: sink@bench.test\r\nSubject: bench ${n}\r\nMessage-ID: <bench-${n}@client.test>\r\n\r\n${'body line\r\n'.repeat(40)}.`;
    const script = ['EHLO client.test', 'MAIL FROM:<loadgen@client.test>', 'RCPT TO:<sink@bench.test>', 'DATA', msg, 'QUIT'];
    let step = -1;
    let buf = '';
    let settled = false;
    const fail = (why) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      reject(new Error(`message ${n}: ${why}`));
    };
    sock.on('error', (err) => fail(err.message));
    sock.on('close', () => fail('connection closed'));
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (let i = buf.indexOf('\r\n'); i !== -1; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (line[3] === '-') continue;
        if (step === 4) {
          const at = performance.now();
          if (!line.startsWith('250')) return fail(line);
          settled = true;
          sock.end('QUIT\r\n');
          return resolve(at);
        }
        if (!line.startsWith(step === -1 ? '220' : step === 3 ? '354' : '250')) return fail(line);
        step++;
        sock.write(`${script[step]}\r\n`);
      }
    });
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms (n=${s.length})`;
};

async function main() {
  handleSignals();
  const db = await createDatabase(serverUrl);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-webhooks-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: {
      CORREIO_ROLES: args.split ? 'http,smtp' : 'http,smtp,delivery',
      CORREIO_DOMAIN: 'bench.test',
      CORREIO_ADMIN_ADDRESS: 'sink@bench.test',
      CORREIO_ADMIN_PASSWORD: 'bench-password',
      CORREIO_WEBHOOKS_ALLOW_PRIVATE: 'true',
      CORREIO_SMTP_MAX_CONNECTIONS_PER_IP: '2000',
    },
  });
  if (args.split) {
    const workerDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-webhooks-worker-'));
    cleanups.push(() => rm(workerDir, { recursive: true, force: true }));
    await startCorreio({ databaseUrl: db.url, dataDir: workerDir, env: { CORREIO_ROLES: 'delivery', CORREIO_DOMAIN: 'bench.test', CORREIO_WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  }
  // The receiver: notes when each event arrives (epoch ms and performance.now()).
  const arrivals = new Map();
  const receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const wall = Date.now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const n = Number(/^bench (\d+)$/.exec(event.data.subject)?.[1]);
      if (!arrivals.has(n)) arrivals.set(n, { at, wall, timestamp: Date.parse(event.timestamp) });
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => receiver.close(r)));
  const base = `http://127.0.0.1:${api.ports.api}/api/v1`;
  const login = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: 'sink@bench.test', password: 'bench-password' }) });
  const { csrfToken } = await login.json();
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const created = await fetch(`${base}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['message.received'] }),
  });
  if (created.status !== 201) throw new Error(`webhook: ${created.status} ${await created.text()}`);

  // Warm up (connections, prepared statements, the recipient cache), then the timed run.
  for (let i = 0; i < 20; i++) await sendOne(api.ports.smtp, -1 - i);
  await sleep(1_000);
  const total = RATE * SECONDS;
  log(`${total} messages at ${RATE}/s over SMTP (a new connection each), webhook receiver on loopback, ${args.split ? 'worker in its own process' : 'one process'}; load ${loadavg()}`);
  const acked = new Map();
  const sends = [];
  const t0 = performance.now();
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    sends.push(sendOne(api.ports.smtp, n).then((at) => acked.set(n, at)));
  }
  await Promise.all(sends);
  const sentIn = (performance.now() - t0) / 1000;
  const deadline = Date.now() + 30_000;
  while ([...acked.keys()].some((n) => !arrivals.has(n)) && Date.now() < deadline) await sleep(50);
  const missing = [...acked.keys()].filter((n) => !arrivals.has(n));
  const from250 = [...acked].filter(([n]) => arrivals.has(n)).map(([n, at]) => arrivals.get(n).at - at);
  const fromTimestamp = [...arrivals].filter(([n]) => n >= 0).map(([, a]) => a.wall - a.timestamp);
  console.log(`webhooks: ${acked.size} messages in ${sentIn.toFixed(1)} s (${(acked.size / sentIn).toFixed(0)}/s), ${missing.length} without a webhook after 30 s`);
  console.log(`  COMMIT → receiver, from the SMTP 250:        ${fmt(from250)}`);
  console.log(`  COMMIT → receiver, from the event timestamp: ${fmt(fromTimestamp)}`);
  const p99 = percentile([...from250].sort((a, b) => a - b), 99);
  console.log(`  target p99 < 250 ms: ${p99 < 250 ? 'met' : 'NOT met'}; load ${loadavg()}`);
  if (args.keep) {
    log(`kept: ${db.url}`);
    cleanups.splice(0, cleanups.length);
  }
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
