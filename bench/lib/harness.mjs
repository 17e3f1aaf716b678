// What the benchmarks and their private Postfix/Dovecot instances share: free ports, user ids,
// waiting for a listener, installing a Debian package, the undo-on-exit registry with Ctrl-C
// handling, a throwaway PostgreSQL database, and the built Correio API as a child process.
// Importing it has no side effects; a benchmark calls handleSignals() once.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const API_MAIN = path.join(repoRoot, 'apps/api/dist/main.js');
export const API_CLI = path.join(repoRoot, 'apps/api/dist/cli/main.js');

export const log = (msg) => console.error(`[bench] ${msg}`);

/** --help: prints the script's header comment (its lines 2 to `endLine`, without the `//`) and exits. */
export function printUsage(moduleUrl, endLine) {
  console.log(
    readFileSync(fileURLToPath(moduleUrl), 'utf8')
      .split('\n')
      .slice(1, endLine)
      .join('\n')
      .replace(/^\/\/ ?/gm, ''),
  );
  process.exit(0);
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const fmtSize = (bytes) => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`);
export const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * The machine's disk flush: median µs of one 8 kB write + fdatasync (what a PostgreSQL COMMIT and
 * Postfix's queue file both wait for), 200 times into a file in the temp directory (the same disk
 * as PostgreSQL's data directory on the project machine). Printed in the benchmarks' headers,
 * because it decides how fast Postfix is: 0.12 ms here on 2026-12-07 morning, 0.03 ms that
 * afternoon, and Postfix's one-session rate went from ~420 to ~1,080 msg/s with it.
 */
export function diskFlushMicros(rounds = 200) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'correio-bench-flush-'));
  const fd = openSync(path.join(dir, 'probe'), 'w');
  const block = randomBytes(8192);
  const times = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const t = process.hrtime.bigint();
      writeSync(fd, block, 0, block.length, (i % 16) * 8192);
      fdatasyncSync(fd);
      times.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** uid and gid of a local user, or null. */
export async function userIds(name) {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Waits until 127.0.0.1:port accepts connections; `isAlive` stops the wait when the server died. */
export async function waitForPort(port, timeoutMs, { name = 'the server', isAlive = () => true } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!isAlive()) throw new Error(`${name} exited`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port} in ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * apt-get install of one Debian package (with `apt-get update` when the first try fails), waiting
 * up to 3 minutes for another apt's lock. `preseed`: debconf lines set first. Returns null on
 * success, else the reason.
 */
export function aptInstall(pkg, { preseed } = {}) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) =>
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=180', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 400_000 });
  try {
    if (preseed) execFileSync('debconf-set-selections', { input: preseed, env, stdio: ['pipe', 'ignore', 'pipe'] });
    try {
      apt(['install', '-y', '-qq', pkg]);
    } catch {
      apt(['update', '-qq']);
      apt(['install', '-y', '-qq', pkg]);
    }
    return null;
  } catch (err) {
    return `could not install ${pkg}: ${(err.stderr ?? err.message ?? err).toString().trim().slice(-500)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Undo on exit: everything a benchmark starts registers an undo step; Ctrl-C (or any failure)
// runs them in reverse. A second Ctrl-C runs only the synchronous steps and leaves at once.
// ---------------------------------------------------------------------------------------------
export const cleanups = [];
export const syncCleanups = [];
export const children = new Set();
export let cleaningUp = false;
export let interrupts = 0;
let cleanupDone;

/** Runs the undo steps once; every caller (signal handler, main's end or failure) awaits the same run. */
export function cleanup() {
  cleaningUp = true;
  cleanupDone ??= (async () => {
    for (const child of children) child.kill('SIGKILL');
    while (cleanups.length) {
      const step = cleanups.pop();
      try {
        await step();
      } catch (err) {
        console.error(`cleanup: ${err.message}`);
      }
    }
  })();
  return cleanupDone;
}

export function handleSignals() {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      interrupts++;
      if (interrupts > 1) {
        for (const s of syncCleanups.reverse()) s();
        process.exit(130);
      }
      console.error(`\n${sig}: stopping everything this benchmark started ...`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Correio: a throwaway database and the built API as a child process.
// ---------------------------------------------------------------------------------------------
export async function createDatabase(serverUrl) {
  const name = `correio_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/**
 * Starts the built API on free loopback ports (every listener: other instances on this machine may
 * hold the fixed development ports) with reverse DNS off (as on the Postfix/Dovecot side), and
 * waits for its banner. `env` adds or overrides settings; other CORREIO_* settings of the caller's
 * environment pass through. `apiMain` runs another build's main.js (bench/smtp-ingest-ab.mjs).
 */
export async function startCorreio({ databaseUrl, dataDir, env: extra, apiMain = API_MAIN }) {
  const ports = {
    api: await freePort(),
    smtp: await freePort(),
    submission: await freePort(),
    submissions: await freePort(),
    pop3: await freePort(),
    pop3s: await freePort(),
  };
  const env = {
    ...process.env,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    CORREIO_DATA_DIR: dataDir,
    CORREIO_BIND: '127.0.0.1',
    CORREIO_SMTP_REVERSE_DNS: process.env.CORREIO_SMTP_REVERSE_DNS ?? 'false',
    CORREIO_API_PORT: String(ports.api),
    CORREIO_SMTP_PORT: String(ports.smtp),
    CORREIO_SUBMISSION_PORT: String(ports.submission),
    CORREIO_SUBMISSIONS_PORT: String(ports.submissions),
    CORREIO_POP3_PORT: String(ports.pop3),
    CORREIO_POP3S_PORT: String(ports.pop3s),
    ...extra,
  };
  const child = spawn(process.execPath, [apiMain], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let stopping = false;
  void exited.then((how) => {
    if (!stopping && !cleaningUp) {
      log(`the API (pid ${child.pid}) exited on its own or was stopped from outside the benchmark (${how}); its output:`);
      console.error(out.slice(-3000));
    }
  });
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
    children.delete(child);
  };
  cleanups.push(stop);
  const deadline = Date.now() + 60_000;
  while (!out.includes('Correio is running')) {
    if (child.exitCode !== null) throw new Error(`the API exited before starting:\n${out}`);
    if (Date.now() > deadline) throw new Error(`the API did not start in 60 s:\n${out}`);
    await sleep(50);
  }
  return { ports, env, stop, pid: child.pid, output: () => out, alive: () => child.exitCode === null && child.signalCode === null };
}

/** Runs the admin CLI with the API's environment. */
export function runCli(env, cliArgs, cli = API_CLI) {
  const r = spawnSync(process.execPath, [cli, ...cliArgs], { env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`correio ${cliArgs.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/**
 * The environment of an IMAP-only API for the IMAP CPU and profile benchmarks: the `imap` role on
 * the given ports, plain LOGIN allowed on loopback (as a Dovecot with disable_plaintext_auth = no),
 * the bench.test domain.
 */
export function imapOnlyEnv(imapPort, imapsPort) {
  return {
    CORREIO_ROLES: 'imap',
    CORREIO_IMAP_PORT: String(imapPort),
    CORREIO_IMAPS_PORT: String(imapsPort),
    CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
    CORREIO_DOMAIN: 'bench.test',
    CORREIO_ADMIN_ADDRESS: 'postmaster@bench.test',
    CORREIO_ADMIN_PASSWORD: 'bench-password',
  };
}
