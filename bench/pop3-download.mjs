#!/usr/bin/env node
// POP3 download benchmark: Python's poplib downloads a whole maildrop (LIST, RETR every message, QUIT
// without DELE) from Correio's POP3 server and from a private Dovecot on the same machine, in the same
// run. See bench/README.md for what it measures and how to read it.
//
//   node bench/pop3-download.mjs [--quick] [--reps N] [--warmup N] [--sizes 4096,102400]
//                                [--messages 1000] [--keep] [--hold]
//
// --warmup N: untimed downloads from each server before the timed ones (default 5): Correio is a
// long-running process whose JIT-compiled code and read-ahead worker warm up over its first ~5,000
// RETRs (a fresh process's 4 KiB downloads: ~0.22, 0.17, 0.14-0.18 s, then ~0.13-0.14 s from the
// sixth on); Dovecot starts a fresh pop3 process per session and gains nothing from it.
//
// --hold: after the table, keep both servers running with their maildrops and print how to reach
// them (for profiling one server under a poplib loop); Ctrl-C stops and cleans up.
//
// Needs: root (Dovecot's master starts as root), python3, a built API (npm run build), PostgreSQL at
// BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres. Installs Debian's
// dovecot-pop3d if it is missing. Everything binds to and connects to 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { dovecotVersion, ensureDovecot, startDovecot } from './lib/dovecot.mjs';
import {
  cleanup,
  cleaningUp,
  cleanups,
  children,
  createDatabase,
  fmtSize,
  handleSignals,
  interrupts,
  loadavg,
  log,
  median,
  runCli,
  startCorreio,
  syncCleanups,
  API_CLI,
  API_MAIN,
  printUsage,
} from './lib/harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const DOMAIN = 'bench.test';
const ADMIN = `sink@${DOMAIN}`;
const ADMIN_PASSWORD = 'bench-password-1';
const USER_PASSWORD = 'bench-password-1';
const SENDER = 'loadgen@client.test';
const SMTP_CONNECTIONS = 4;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    warmup: { type: 'string' },
    sizes: { type: 'string', default: '4096,102400' },
    messages: { type: 'string' },
    keep: { type: 'boolean', default: false },
    hold: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 19);
const reps = Number(args.reps ?? (args.quick ? 1 : 3));
const warmups = Number(args.warmup ?? (args.quick ? 1 : 5));
const messageCount = Number(args.messages ?? (args.quick ? 200 : 1000));
const sizes = args.sizes.split(',').map(Number);

handleSignals();

// ---------------------------------------------------------------------------------------------
// The messages: deterministic, exactly `size` bytes as sent (CRLF lines of at most 76 characters,
// none starting with "."), a unique Message-ID each.
// ---------------------------------------------------------------------------------------------
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ';

function makeMessage(user, size, i) {
  const header = [
    `From: Bench Sender <${SENDER}>`,
    `To: <${user}>`,
    `Subject: POP3 benchmark ${fmtSize(size)} #${i}`,
    'Date: Thu, 26 Nov 2026 12:00:00 +0000',
    `Message-ID: <pop3-bench-${size}-${i}@${DOMAIN}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    '',
  ].join('\r\n');
  let remaining = size - Buffer.byteLength(header);
  if (remaining < 2) throw new Error(`size ${size} is too small for the headers`);
  // xorshift32 seeded by (size, i): the same bytes every run.
  let x = (size * 2654435761 + i * 40503 + 1) >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const lines = [];
  while (remaining > 0) {
    const len = Math.min(76, remaining - 2); // text + CRLF
    let line = '';
    for (let k = 0; k < len; k++) line += ALPHABET[k === 0 ? next() % 62 : next() % ALPHABET.length];
    lines.push(line);
    remaining -= len + 2;
    if (remaining === 1) {
      // Cannot end with a 1-byte line: give one character of this line to a final 2-char line.
      lines[lines.length - 1] = line.slice(0, -1);
      remaining += 1;
    }
  }
  const raw = Buffer.from(header + lines.join('\r\n') + '\r\n');
  if (raw.length !== size) throw new Error(`generated ${raw.length} bytes, wanted ${size}`);
  return raw;
}

// ---------------------------------------------------------------------------------------------
// A minimal SMTP client: a few connections, many messages each (MAIL, RCPT, DATA per message).
// ---------------------------------------------------------------------------------------------
function smtpConnection(port) {
  const sock = net.connect(port, '127.0.0.1');
  let buf = '';
  const waiting = [];
  const replies = [];
  let failure;
  sock.setNoDelay(true);
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (line[3] === '-') continue;
      if (waiting.length) waiting.shift().resolve(line);
      else replies.push(line);
    }
  });
  const fail = (err) => {
    failure = err;
    while (waiting.length) waiting.shift().reject(err);
  };
  sock.once('error', fail);
  sock.once('close', () => fail(new Error('SMTP connection closed')));
  const reply = () =>
    replies.length ? Promise.resolve(replies.shift()) : failure ? Promise.reject(failure) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const expect = async (code, what) => {
    const line = await reply();
    if (!line.startsWith(code)) throw new Error(`SMTP ${what}: ${line}`);
  };
  return {
    async open() {
      await expect('220', 'greeting');
      sock.write('EHLO loadgen.client.test\r\n');
      await expect('250', 'EHLO');
    },
    async send(rcpt, raw) {
      sock.write(`MAIL FROM:<${SENDER}>\r\n`);
      await expect('250', 'MAIL');
      sock.write(`RCPT TO:<${rcpt}>\r\n`);
      await expect('250', 'RCPT');
      sock.write('DATA\r\n');
      await expect('354', 'DATA');
      sock.write(raw); // no line starts with "." (makeMessage), so no dot-stuffing is needed
      sock.write('.\r\n');
      await expect('250', 'end of data');
    },
    async close() {
      sock.write('QUIT\r\n');
      await reply().catch(() => {});
      sock.destroy();
    },
  };
}

async function fillCorreio(port, rcpt, size, count) {
  let next = 0;
  const worker = async () => {
    const c = smtpConnection(port);
    await c.open();
    while (next < count) {
      const i = next++;
      await c.send(rcpt, makeMessage(rcpt, size, i));
    }
    await c.close();
  };
  await Promise.all(Array.from({ length: SMTP_CONNECTIONS }, worker));
}

/**
 * Dovecot's Maildir gets the very bytes Correio stored (the message as sent plus the trace headers
 * Correio's MX added, as any MTA's delivery would have added its own), written the way an MDA writes
 * them: LF line endings, in cur/ with ",S=<file size>,W=<size with CRLF>" in the name (so Dovecot
 * need not read a file to know its POP3 size). Both servers then send the same bytes for each RETR.
 * Returns the sum of the W= sizes: the bytes RETR must send.
 */
async function fillDovecotMaildir(dovecot, user, sql, accountId) {
  const dir = path.join(dovecot.maildir(user), 'cur');
  const base = Math.floor(Date.now() / 1000);
  const { rows } = await sql.query(
    'SELECT b.data FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id WHERE m.account_id = $1 ORDER BY m.uid',
    [accountId],
  );
  let total = 0;
  for (const [i, { data: crlf }] of rows.entries()) {
    const lf = Buffer.from(crlf.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    const file = path.join(dir, `${base}.M${i}P${process.pid}.bench,S=${lf.length},W=${crlf.length}:2,`);
    await writeFile(file, lf);
    await chown(file, dovecot.uid, dovecot.gid);
    total += crlf.length;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// One download: python3 + poplib, login, LIST, RETR all, QUIT (no DELE).
// ---------------------------------------------------------------------------------------------
const POPLIB_SCRIPT = `
import json, poplib, sys, time
host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t0 = time.perf_counter()
p = poplib.POP3(host, port, timeout=120)
p.user(user)
p.pass_(password)
resp, listing, _ = p.list()
t_list = time.perf_counter()
sizes = [int(l.split()[1]) for l in listing]
total = 0
for l in listing:
    n = int(l.split()[0])
    resp, lines, octets = p.retr(n)
    # octets: the message's bytes as sent (CRLF line ends, dot-stuffing removed)
    total += octets
p.quit()
t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "loginListSeconds": t_list - t0, "messages": len(listing), "bytes": total, "listBytes": sum(sizes)}))
`;

function download(port, user, password) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', POPLIB_SCRIPT, '127.0.0.1', String(port), user, password], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('exit', (code, signal) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`poplib against port ${port} failed (${code ?? signal}): ${err.trim().slice(-1500)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Correio: a throwaway database, the built API (roles smtp + pop3), accounts.
// ---------------------------------------------------------------------------------------------
function startCorreioPop3(databaseUrl, dataDir) {
  return startCorreio({
    databaseUrl,
    dataDir,
    env: {
      CORREIO_ROLES: 'smtp,pop3',
      // Plain USER/PASS on loopback, as Dovecot's disable_plaintext_auth = no.
      CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
      CORREIO_DOMAIN: DOMAIN,
      CORREIO_ADMIN_ADDRESS: ADMIN,
      CORREIO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  const loadStart = loadavg();
  if (!existsSync(API_MAIN) || !existsSync(API_CLI)) {
    log('apps/api/dist is missing: npm run build ...');
    const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const problem = await ensureDovecot({ install: true, log });
  if (problem) throw new Error(problem);
  const pythonVersion = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!pythonVersion) throw new Error('python3 is missing');

  // One account per size on both servers: no deletions between sizes.
  const users = sizes.map((size) => ({ size, name: `pop${size}@${DOMAIN}` }));

  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(serverUrl);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-data-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`Correio: database ${db.name}, starting the API (roles smtp,pop3) ...`);
  const correio = await startCorreioPop3(db.url, dataDir);
  for (const u of users) runCli(correio.env, ['account', 'add', u.name, '--password', USER_PASSWORD]);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  cleanups.push(() => sql.end());
  const pgVersion = (await sql.query('SHOW server_version')).rows[0].server_version;

  log('Dovecot: starting a private instance ...');
  // Both servers verify the same password hash: Correio's argon2id (OWASP parameters), copied into
  // Dovecot's passwd-file as {ARGON2ID}. A {PLAIN} password, which no deployment uses, would make
  // Dovecot's login ~10 ms cheaper than any real one.
  const hashes = new Map(
    (await sql.query('SELECT address, password_hash FROM accounts WHERE address = ANY($1)', [users.map((u) => u.name)])).rows.map((r) => [r.address, r.password_hash]),
  );
  const dovecot = await startDovecot({
    users: users.map((u) => ({ name: u.name, password: USER_PASSWORD, passwordHash: hashes.get(u.name) })),
    prefix: 'correio-bench-dovecot-',
  });
  cleanups.push(() => dovecot.stop({ keepFiles: args.keep }));
  syncCleanups.push(() => dovecot.stopSync());

  // Fill both maildrops with the same messages.
  const expected = {};
  for (const u of users) {
    let t0 = Date.now();
    await fillCorreio(correio.ports.smtp, u.name, u.size, messageCount);
    const fillSeconds = (Date.now() - t0) / 1000;
    const accountId = (await sql.query('SELECT id FROM accounts WHERE address = $1', [u.name])).rows[0]?.id;
    const row = (
      await sql.query('SELECT count(*)::int AS n, coalesce(sum(size), 0)::bigint AS bytes FROM messages WHERE account_id = $1', [accountId])
    ).rows[0];
    t0 = Date.now();
    const dovecotBytes = await fillDovecotMaildir(dovecot, u.name, sql, accountId);
    expected[u.size] = {
      correio: { messages: row.n, bytes: Number(row.bytes) },
      dovecot: { messages: messageCount, bytes: dovecotBytes },
    };
    log(
      `${fmtSize(u.size)}: ${messageCount} messages into Correio over SMTP in ${fillSeconds.toFixed(1)} s (${row.n} stored, ` +
        `${row.bytes} B), into Dovecot's Maildir in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dovecotBytes} B)`,
    );
    if (row.n !== messageCount) throw new Error(`Correio stored ${row.n} of ${messageCount} messages for ${u.name}`);
  }

  const targets = {
    dovecot: { name: 'dovecot', port: dovecot.port },
    correio: { name: 'correio', port: correio.ports.pop3 },
  };
  const runOnce = async (name, u, label) => {
    const r = await download(targets[name].port, u.name, USER_PASSWORD);
    const want = expected[u.size][name];
    const ok = r.messages === want.messages && r.bytes === want.bytes && r.listBytes === want.bytes;
    log(
      `${fmtSize(u.size).padStart(7)} ${name.padEnd(7)} ${label}: ${r.messages} messages, ${r.bytes} B in ${r.seconds.toFixed(3)} s ` +
        `= ${(r.bytes / r.seconds / 1e6).toFixed(1)} MB/s ${ok ? '✓' : '✗'}`,
    );
    if (!ok) {
      throw new Error(
        `${name} ${fmtSize(u.size)}: downloaded ${r.messages} messages / ${r.bytes} B (LIST said ${r.listBytes} B), ` +
          `stored ${want.messages} / ${want.bytes} B`,
      );
    }
    return r;
  };

  const version = dovecotVersion();
  const header = [
    `POP3 download benchmark — ${new Date().toISOString()}`,
    `machine     ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `client      ${pythonVersion} poplib: USER/PASS, LIST, RETR 1..n, QUIT (no DELE); time from connect to QUIT's reply`,
    `dovecot     ${version}, private instance on 127.0.0.1:${dovecot.port}: pop3 only, no TLS, Maildir (LF files, ,S=/,W= sizes in the names)`,
    `passwords   both verify the same argon2id hash (Correio's, m=19 MiB t=2 p=1; in Dovecot's passwd-file as {ARGON2ID})`,
    `correio     apps/api/dist (roles: smtp,pop3) on 127.0.0.1:${correio.ports.pop3}, PostgreSQL ${pgVersion}; plain auth on loopback`,
    `load avg    ${loadStart} at start (other work on the machine skews both columns alike; re-run if it is high)`,
    `runs        ${warmups} warm-up + ${reps} per size and server, interleaved D,C,C,D,D,C...; medians; messages and bytes checked every run`,
  ];
  for (const line of header) log(line);

  const rows = [];
  for (const u of users) {
    for (let w = 0; w < warmups; w++) {
      await runOnce('dovecot', u, `warm-up ${w + 1}`);
      await runOnce('correio', u, `warm-up ${w + 1}`);
    }
    const secs = { dovecot: [], correio: [] };
    const loginList = { dovecot: [], correio: [] };
    let bytes = 0;
    for (let rep = 0; rep < reps; rep++) {
      const order = rep % 2 === 0 ? ['dovecot', 'correio'] : ['correio', 'dovecot'];
      for (const name of order) {
        const r = await runOnce(name, u, `run ${rep + 1}`);
        secs[name].push(r.seconds);
        loginList[name].push(r.loginListSeconds);
        bytes = r.bytes;
      }
    }
    if (!correio.alive()) throw new Error(`the API died:\n${correio.output().slice(-3000)}`);
    rows.push({
      size: u.size,
      messages: messageCount,
      dovecot: median(secs.dovecot),
      correio: median(secs.correio),
      dovecotLogin: median(loginList.dovecot),
      correioLogin: median(loginList.correio),
      dovecotBytes: expected[u.size].dovecot.bytes,
      correioBytes: expected[u.size].correio.bytes,
      bytes,
    });
  }

  const elapsed = (Date.now() - started) / 1000;
  const table = formatTable(rows);
  const verdict = rows
    .map((r) => {
      const ratio = r.correio / r.dovecot;
      return `${fmtSize(r.size)}: Correio takes ${ratio.toFixed(2)}× Dovecot's time — ${ratio <= 1 ? 'meets' : 'misses'} the target (≤ 1.00×)`;
    })
    .join('\n');
  const diagnostics = [
    'Where the time goes (medians): connect + USER/PASS + LIST, then RETR per message (the rest of the run / messages):',
    ...rows.map(
      (r) =>
        `  ${fmtSize(r.size).padEnd(7)} Dovecot ${(r.dovecotLogin * 1000).toFixed(1)} ms + ${(((r.dovecot - r.dovecotLogin) / r.messages) * 1000).toFixed(3)} ms/RETR; ` +
        `Correio ${(r.correioLogin * 1000).toFixed(1)} ms + ${(((r.correio - r.correioLogin) / r.messages) * 1000).toFixed(3)} ms/RETR`,
    ),
    `Both servers send the same bytes: Dovecot's Maildir holds exactly what Correio stored (${rows[0].correioBytes === rows[0].dovecotBytes ? 'sizes checked equal' : `SIZES DIFFER: ${rows[0].correioBytes} vs ${rows[0].dovecotBytes} B`}).`,
  ];
  const footer = `total time ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s; load avg at start ${loadStart}, at end ${loadavg()}`;
  console.log(['', ...header, '', table, '', verdict, '', ...diagnostics, '', footer].join('\n'));
  if (args.hold) {
    log(`holding (Ctrl-C stops): Dovecot 127.0.0.1:${dovecot.port}, Correio 127.0.0.1:${correio.ports.pop3} (API pid ${correio.pid}); ` +
      `users ${users.map((u) => u.name).join(', ')}, password ${USER_PASSWORD}`);
    await new Promise(() => {});
  }
}

function formatTable(rows) {
  const head = ['size', 'messages', 'Dovecot s', 'Correio s', 'ratio C/D time', 'Dovecot MB/s', 'Correio MB/s'];
  const body = rows.map((r) => [
    fmtSize(r.size),
    String(r.messages),
    r.dovecot.toFixed(3),
    r.correio.toFixed(3),
    `${(r.correio / r.dovecot).toFixed(2)}×`,
    (r.dovecotBytes / r.dovecot / 1e6).toFixed(1),
    (r.correioBytes / r.correio / 1e6).toFixed(1),
  ]);
  const left = (i) => i === 0;
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (left(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...body.map(line)].join('\n');
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (err) => {
    if (!cleaningUp) console.error(`\nbenchmark failed: ${err.stack ?? err}`);
    await cleanup();
    process.exit(cleaningUp && interrupts ? 130 : 1);
  });
