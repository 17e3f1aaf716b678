#!/usr/bin/env node
// Stress for the PostgreSQL wire: the built API on a fresh database, driven with draft saves
// (new and replacing), sends (a local and a remote recipient, from a draft), uploads and MX
// deliveries at once while busy loops load the CPU, then the API log is searched for the errors of
// a connection whose statements got out of step with its server session.
//
//   node bench/pg-wire-stress.mjs [--db postgres|pglite] [--flag-pglite] [--seconds 60]
//                                 [--load 8] [--users 6]
//
//   --db postgres   a fresh correio_bench_* database on BENCH_DATABASE_URL / DATABASE_URL /
//                   postgresql://postgres@127.0.0.1:5432/postgres (dropped afterwards);
//   --db pglite     an in-memory PGlite served on a local port (startEmbeddedPostgres), handed to the
//                   API as a plain DATABASE_URL — how test/system/compose.e2e.test.ts ran it when no
//                   DATABASE_URL was set (createTestDatabase falls back to PGlite);
//   --flag-pglite   also sets DATABASE_IS_PGLITE=true, as the other system tests do.
//   --load N        N busy-loop child processes for the whole run (the machine's load during the report).
//
// Prints one JSON line: operations done, HTTP 5xx, SMTP 4xx replies, and counts of
// 'prepared statement ... already exists', 'bind message supplies', 'prepared statement ... does not
// exist', 'portal ... does not exist' and other error lines in the API log. Exit status 1 when any
// of those protocol errors appeared. Needs `npm run build` first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  API_CLI,
  API_MAIN,
  children,
  cleanup,
  cleanups,
  createDatabase,
  handleSignals,
  loadavg,
  log,
  printUsage,
  sleep,
  startCorreio,
} from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const DOMAIN = 'stress.test';
const REMOTE = 'remote.test';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    'flag-pglite': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '60' },
    load: { type: 'string', default: '8' },
    users: { type: 'string', default: '6' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 22);

/** Busy loops in child processes: each spins for the whole run (killed by cleanup). */
function loadCpu(n) {
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    children.add(child);
    cleanups.push(async () => child.kill('SIGKILL'));
  }
}

/** A remote MX that accepts everything (the delivery worker reaches it through the transport map). */
async function startSink() {
  const server = net.createServer((s) => {
    s.setEncoding('latin1');
    let inData = false;
    let buf = '';
    s.write('220 sink ESMTP\r\n');
    s.on('data', (d) => {
      buf += d;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          buf = buf.slice(end + 5);
          inData = false;
          s.write('250 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl).toUpperCase();
        buf = buf.slice(nl + 2);
        if (line.startsWith('EHLO')) s.write('250-sink\r\n250 8BITMIME\r\n');
        else if (line.startsWith('DATA')) {
          inData = true;
          s.write('354 go\r\n');
        } else if (line.startsWith('QUIT')) s.end('221 bye\r\n');
        else s.write('250 ok\r\n');
      }
    });
    s.on('error', () => {});
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return server.address().port;
}

/** One SMTP transaction to the API's MX; returns the reply codes of RCPT and end of DATA. */
function mxDeliver(port, from, to, body) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    s.setEncoding('latin1');
    const steps = [`EHLO client.test`, `MAIL FROM:<${from}>`, `RCPT TO:<${to}>`, 'DATA', `${body.replace(/^\./gm, '..')}\r\n.`, 'QUIT'];
    const codes = [];
    let buf = '';
    let i = -1;
    s.setTimeout(60_000, () => s.destroy(new Error('MX timeout')));
    s.on('data', (d) => {
      buf += d;
      for (;;) {
        const m = /^(\d{3}) .*\r\n/m.exec(buf);
        if (!m) return;
        buf = buf.slice(m.index + m[0].length);
        codes.push(Number(m[1]));
        const code = Number(m[1]);
        // 220 greeting, then each step; a refused RCPT ends the transaction.
        if (i === 2 && code !== 250) {
          s.end('QUIT\r\n');
          return resolve({ rcpt: code, data: null });
        }
        i++;
        if (i < steps.length) s.write(`${steps[i]}\r\n`);
        else {
          s.end();
          return resolve({ rcpt: codes[3], data: codes[5] });
        }
      }
    });
    s.on('error', reject);
  });
}

/** The admin CLI, without blocking this process (it may be serving the PGlite database). */
function cli(env, cliArgs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [API_CLI, ...cliArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`correio ${cliArgs.join(' ')} failed (${code}): ${out}`))));
  });
}

async function session(origin, address, password) {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address, password }),
  });
  if (!res.ok) throw new Error(`login ${address}: ${res.status} ${await res.text()}`);
  const { csrfToken } = await res.json();
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('correio_session=')) ?? '').split(';')[0];
  const headers = { cookie, 'x-csrf-token': csrfToken };
  return {
    async json(method, p, body) {
      const r = await fetch(`${origin}/api/v1${p}`, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: r.status, body: r.status === 204 ? undefined : await r.json().catch(() => undefined) };
    },
    async upload(name, bytes) {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), name);
      const r = await fetch(`${origin}/api/v1/uploads`, { method: 'POST', headers, body: form });
      return { status: r.status, body: await r.json().catch(() => undefined) };
    },
  };
}

async function main() {
  handleSignals();
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run \`npm run build\` first`);
  const seconds = Number(args.seconds);
  const userCount = Number(args.users);
  let databaseUrl;
  if (args.db === 'pglite') {
    const { startEmbeddedPostgres } = require(path.join(here, '../libs/db/dist/index.js'));
    const embedded = await startEmbeddedPostgres({});
    cleanups.push(() => embedded.stop());
    databaseUrl = embedded.url;
  } else {
    const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
    databaseUrl = (await createDatabase(serverUrl)).url;
  }
  const sinkPort = await startSink();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-pg-wire-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const correio = await startCorreio({
    databaseUrl,
    dataDir,
    env: {
      LOG_LEVEL: 'log',
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: DOMAIN,
      CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
      CORREIO_ADMIN_PASSWORD: 'stress-admin-pw-0',
      CORREIO_TRANSPORT_MAP: `${REMOTE}=127.0.0.1:${sinkPort}`,
      ...(args['flag-pglite'] ? { DATABASE_IS_PGLITE: 'true' } : { DATABASE_IS_PGLITE: undefined }),
    },
  });
  const users = [];
  for (let i = 0; i < userCount; i++) {
    const u = { address: `u${i}@${DOMAIN}`, password: `stress-password-${i}` };
    await cli(correio.env, ['account', 'add', u.address, '--password', u.password]);
    users.push(u);
  }
  const origin = `http://127.0.0.1:${correio.ports.api}`;
  const sessions = await Promise.all(users.map((u) => session(origin, u.address, u.password)));
  log(`API up on ${args.db}${args['flag-pglite'] ? ' (DATABASE_IS_PGLITE=true)' : ''}; load at start: ${loadavg()}`);
  loadCpu(Number(args.load));

  const stats = { drafts: 0, sends: 0, uploads: 0, mx: 0, http5xx: 0, httpOther: 0, smtp4xx: 0, failures: 0 };
  const deadline = Date.now() + seconds * 1000;
  const check = (r, ok = [200, 201, 204]) => {
    if (r.status >= 500) stats.http5xx++;
    else if (!ok.includes(r.status)) stats.httpOther++;
    return ok.includes(r.status);
  };
  const writer = async (i) => {
    const s = sessions[i];
    const peer = users[(i + 1) % users.length].address;
    for (let n = 0; Date.now() < deadline; n++) {
      try {
        const up = await s.upload(`a${n}.bin`, Buffer.alloc(2048 + n, i));
        stats.uploads++;
        const attachments = check(up) ? [{ source: 'upload', uploadId: up.body.id }] : [];
        let d = await s.json('PUT', '/drafts', {
          to: [{ address: peer }],
          subject: `draft ${i}/${n}`,
          html: `<p>v1 ${n}</p>`,
          attachments,
        });
        stats.drafts++;
        if (!check(d)) continue;
        const d2 = await s.json('PUT', `/drafts/${d.body.id}`, {
          to: [{ address: peer }],
          subject: `draft ${i}/${n}`,
          html: `<p>v2 ${n}</p>`,
          attachments: d.body.attachments?.map((a) => a.ref) ?? [],
        });
        stats.drafts++;
        if (check(d2)) d = d2;
        const sent = await s.json('POST', '/messages/send', {
          to: [peer, `far${i}@${REMOTE}`],
          subject: `sent ${i}/${n}`,
          text: `hello ${n}`,
          draftId: d.body.id,
          attachmentRefs: d.body.attachments?.map((a) => a.ref) ?? [],
        });
        stats.sends++;
        check(sent);
      } catch (err) {
        stats.failures++;
        log(`writer ${i}: ${err.message}`);
      }
    }
  };
  const mx = async (i) => {
    for (let n = 0; Date.now() < deadline; n++) {
      const to = users[(i + n) % users.length].address;
      const body = `From: <out${i}@elsewhere.test>\r\nTo: <${to}>\r\nSubject: mx ${i}/${n}\r\nMessage-ID: <mx-${i}-${n}-${Date.now()}@elsewhere.test>\r\n\r\nhello ${n}\r\n`;
      try {
        const r = await mxDeliver(correio.ports.smtp, `out${i}@elsewhere.test`, to, body);
        stats.mx++;
        if ((r.rcpt >= 400 && r.rcpt < 500) || (r.data >= 400 && r.data < 500)) stats.smtp4xx++;
      } catch (err) {
        stats.failures++;
        log(`mx ${i}: ${err.message}`);
      }
    }
  };
  await Promise.all([...users.map((_, i) => writer(i)), ...users.map((_, i) => mx(i))]);
  const loadEnd = loadavg();
  await sleep(2000); // the delivery worker's last outbound transactions
  const out = correio.output();
  const count = (re) => (out.match(re) ?? []).length;
  const errorLines = out.split('\n').filter((l) => l.includes('"level":"error"'));
  const result = {
    db: args.db,
    flaggedPglite: args['flag-pglite'],
    seconds,
    load: Number(args.load),
    loadavgAtEnd: loadEnd,
    ...stats,
    alreadyExists: count(/prepared statement \\?"[^"\\]+\\?" already exists/g),
    bindMismatch: count(/bind message supplies \d+ parameters/g),
    statementMissing: count(/prepared statement \\?"[^"\\]*\\?" does not exist/g),
    portalMissing: count(/portal \\?"[^"\\]*\\?" does not exist/g),
    errorLines: errorLines.length,
  };
  console.log(JSON.stringify(result));
  if (errorLines.length) log(`first error line: ${errorLines[0].slice(0, 400)}`);
  await cleanup();
  process.exit(result.alreadyExists + result.bindMismatch + result.statementMissing + result.portalMissing > 0 ? 1 : 0);
}

main().catch(async (err) => {
  console.error(err);
  await cleanup();
  process.exit(2);
});
