#!/usr/bin/env node
// Outbound delivery benchmark: how fast Correio's delivery worker drains its queue into Postfix's
// smtp-sink, next to a stock Postfix relaying the same load to the same sink, in the same run.
// See bench/README.md for what it measures and how to read it.
//
//   node bench/delivery.mjs [--quick] [--reps N] [--messages N] [--size BYTES] [--profile DIR] [--keep]
//
// Needs: root (Postfix's master starts as root; smtp-sink drops to nobody), a built API
// (node_modules/.bin/turbo run build --filter=@correio/api...), PostgreSQL at BENCH_DATABASE_URL /
// DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres. Installs Debian's postfix if missing.
// Everything binds to and connects to 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import pg from 'pg';
import {
  API_MAIN,
  children,
  cleanup,
  cleaningUp,
  cleanups,
  createDatabase,
  fmtSize,
  handleSignals,
  interrupts,
  loadavg,
  log,
  median,
  sleep,
  startCorreio,
  syncCleanups,
  printUsage,
} from './lib/harness.mjs';
import { ensurePostfix, queueSizes, releaseHeld, SMTP_SOURCE_BIN, startPostfix, startSmtpSink } from './lib/postfix.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const SENDER_DOMAIN = 'client.test';
const SENDER = `loadgen@${SENDER_DOMAIN}`;
const SINK_DOMAIN = 'sink.test';
const RCPT = `sink@${SINK_DOMAIN}`;
const SUBMIT_CONNECTIONS = 8;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    messages: { type: 'string' },
    size: { type: 'string', default: '4096' },
    profile: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 11);
const reps = Number(args.reps ?? (args.quick ? 1 : 3));
const N = Number(args.messages ?? (args.quick ? 300 : 2000));
const SIZE = Number(args.size);

handleSignals();

/** A deterministic body of `size` bytes in CRLF lines of at most 78 characters (as smtp-source -l). */
function body(size, n) {
  const line = `${`message ${n} `.padEnd(76, 'x')}\r\n`;
  return `${line.repeat(Math.ceil(size / line.length)).slice(0, size - 2)}\r\n`;
}

/** CPU seconds of a process and all its descendants (Postfix's master and its daemons; a Correio cluster primary and its workers). */
function treeCpuSeconds(masterPid) {
  const all = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
      all.set(Number(d), {
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100,
      });
    } catch {}
  }
  let total = 0;
  const walk = (pid) => {
    const p = all.get(pid);
    if (!p) return;
    total += p.cpu;
    for (const [child, q] of all) if (q.ppid === pid) walk(child);
  };
  walk(masterPid);
  return total;
}

/** Committed transactions in the bench database so far. */
async function committedTransactions(sql) {
  return Number((await sql.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit);
}

// ---------------------------------------------------------------------------------------------
// Correio: fill the queue through submission (no delivery role), then start a delivery-only
// process and time it until the sink has every message and the queue says delivered.
// ---------------------------------------------------------------------------------------------
async function fillCorreio(submissionPort, count) {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: SUBMIT_CONNECTIONS,
    maxMessages: Number.POSITIVE_INFINITY,
    host: '127.0.0.1',
    port: submissionPort,
    secure: false,
    ignoreTLS: true, // CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: the fill is not what is measured
    auth: { user: SENDER, pass: 'bench-loadgen-pw-1' },
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: SUBMIT_CONNECTIONS * 2 }, async () => {
      for (let n = next++; n < count; n = next++) {
        const raw = `From: ${SENDER}\r\nTo: ${RCPT}\r\nSubject: delivery bench ${n}\r\nMessage-ID: <bench-${Date.now()}-${n}@${SENDER_DOMAIN}>\r\n\r\n${body(SIZE, n)}`;
        await transport.sendMail({ envelope: { from: SENDER, to: [RCPT] }, raw });
      }
    }),
  );
  transport.close();
}

async function runCorreio(ctx, count, { profileDir } = {}) {
  const { sql, sink } = ctx;
  const q = async () =>
    Object.fromEntries(
      (
        await sql.query(
          "SELECT state, count(*)::int AS n FROM outbound_recipients WHERE state <> 'delivered' OR updated_at > $1 GROUP BY state",
          [ctx.since],
        )
      ).rows.map((r) => [r.state, r.n]),
    );
  const tFill = performance.now();
  await fillCorreio(ctx.submitter.ports.submission, count);
  const fillSeconds = (performance.now() - tFill) / 1000;
  const queued = (await q()).queued ?? 0;
  if (queued !== count) throw new Error(`correio: ${queued} queued after submitting ${count}`);

  const base = { ...sink.counters };
  const xact0 = await committedTransactions(sql);
  const env = {
    CORREIO_ROLES: 'delivery',
    CORREIO_DOMAIN: SENDER_DOMAIN,
    CORREIO_HOSTNAME: `mail.${SENDER_DOMAIN}`,
    CORREIO_TRANSPORT_MAP: `${SINK_DOMAIN}=127.0.0.1:${sink.port}`,
  };
  if (profileDir) {
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(repoRoot, 'bench/lib/cpu-profile.cjs')}`.trim();
    env.BENCH_CPU_PROFILE_DIR = profileDir;
  }
  // Like Postfix's hold queue: the entries are held (the admin API's hold, as SQL), the delivery
  // process starts and settles, and the clock starts at the release, so neither side's start-up
  // is in the figures. The worker then finds the released entries at its next poll (≤ 500 ms).
  await sql.query(`UPDATE outbound_recipients SET state = 'held', updated_at = now() WHERE state = 'queued'`);
  const tStart = performance.now();
  const worker = await startCorreio({ databaseUrl: ctx.db.url, dataDir: ctx.dataDir, env });
  const tUp = performance.now();
  const pid = [...children].at(-1)?.pid;
  await sleep(1_000);
  const cpuUp = treeCpuSeconds(pid); // start-up (Nest, pool, migrations check) is not delivery work
  const t0 = performance.now();
  await sql.query(
    `UPDATE outbound_recipients SET state = 'queued', next_attempt_at = now(), updated_at = now() WHERE state = 'held'`,
  );
  await sink.waitForMessages(base.messages + count);
  const tSink = performance.now();
  // ... and the queue records every recipient as delivered.
  for (;;) {
    const s = await q();
    if ((s.delivered ?? 0) >= count && Object.keys(s).length === 1) break;
    if (performance.now() - tSink > 60_000) throw new Error(`correio: the sink has all ${count} but the queue says ${JSON.stringify(s)}`);
    await sleep(20);
  }
  const tQueue = performance.now();
  const cpu = treeCpuSeconds(pid) - cpuUp; // with CORREIO_WORKERS > 1, the workers' CPU too
  await worker.stop();
  ctx.since = new Date();
  const xact = (await committedTransactions(sql)) - xact0;
  const first = sink.arrivalOf(base.messages + 1);
  return {
    ...figures({ count, fillSeconds, t0, tSink, tQueue, first, sessions: sink.counters.sessions - base.sessions, cpu }),
    startupSeconds: (tUp - tStart) / 1000,
    xactPerMessage: xact / count,
  };
}

// ---------------------------------------------------------------------------------------------
// Postfix: smtp-source into its smtpd, every message put on hold (check_recipient_access
// static:HOLD), then released (postsuper -H ALL; postqueue -f) and timed until the sink has them all
// and the queue is empty.
// ---------------------------------------------------------------------------------------------
function smtpSource(port, count) {
  const argv = [
    '-4',
    '-s',
    '10',
    '-m',
    String(count),
    '-l',
    String(SIZE),
    '-M',
    `loadgen.${SENDER_DOMAIN}`,
    '-f',
    SENDER,
    '-t',
    RCPT,
    `127.0.0.1:${port}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SMTP_SOURCE_BIN, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`smtp-source failed (${code}): ${stderr.trim()}`));
    });
  });
}

async function runPostfix(ctx, count) {
  const { postfix, sink } = ctx;
  const tFill = performance.now();
  await smtpSource(postfix.port, count);
  for (let waited = 0; (await queueSizes(postfix)).hold < count; waited += 50) {
    if (waited > 60_000) throw new Error(`postfix: hold queue ${JSON.stringify(await queueSizes(postfix))} after submitting ${count}`);
    await sleep(50);
  }
  const fillSeconds = (performance.now() - tFill) / 1000;
  const base = { ...sink.counters };
  const cpu0 = treeCpuSeconds(ctx.postfixMaster);
  const t0 = performance.now();
  await releaseHeld(postfix);
  await sink.waitForMessages(base.messages + count);
  const tSink = performance.now();
  await postfix.waitForEmptyQueue(60_000);
  const tQueue = performance.now();
  const cpu = treeCpuSeconds(ctx.postfixMaster) - cpu0;
  const first = sink.arrivalOf(base.messages + 1);
  return {
    ...figures({ count, fillSeconds, t0, tSink, tQueue, first, sessions: sink.counters.sessions - base.sessions, cpu }),
    startupSeconds: 0,
  };
}

/** One run's figures from its clock readings (ms, performance.now()) and CPU seconds. */
function figures({ count, fillSeconds, t0, tSink, tQueue, first, sessions, cpu }) {
  return {
    fillSeconds,
    releaseToAll: (tSink - t0) / 1000,
    firstToLast: (tSink - first) / 1000,
    queueSeconds: (tQueue - t0) / 1000,
    rate: (count - 1) / ((tSink - first) / 1000),
    rateFromRelease: count / ((tSink - t0) / 1000),
    sessions,
    cpuMsPerMessage: (cpu * 1000) / count,
  };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  if (!existsSync(API_MAIN)) {
    log('apps/api/dist is missing: building ...');
    const r = spawnSync(path.join(repoRoot, 'node_modules/.bin/turbo'), ['run', 'build', '--filter=@correio/api...'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('build failed');
  }
  const problem = await ensurePostfix({ install: true, log });
  if (problem) throw new Error(problem);
  const loadStart = loadavg();

  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(serverUrl);
  const sql = new pg.Client({ connectionString: db.url });
  const pgInfo = {};
  {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    for (const k of ['server_version', 'fsync', 'synchronous_commit']) pgInfo[k] = (await c.query(`SHOW ${k}`)).rows[0][k];
    await c.end();
  }

  const sink = await startSmtpSink();
  cleanups.push(() => sink.stop());
  syncCleanups.push(() => sink.child.kill('SIGKILL'));
  log(`smtp-sink on 127.0.0.1:${sink.port}`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-data-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`Correio: database ${db.name}, starting the submission process (roles: smtp) ...`);
  const submitter = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: {
      CORREIO_ROLES: 'smtp',
      CORREIO_DOMAIN: SENDER_DOMAIN,
      CORREIO_ADMIN_ADDRESS: SENDER,
      CORREIO_ADMIN_PASSWORD: 'bench-loadgen-pw-1',
      CORREIO_SMTP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
    },
  });
  await sql.connect();
  cleanups.push(() => sql.end());
  const dkimKeys = Number((await sql.query('SELECT count(*)::int AS n FROM dkim_keys')).rows[0].n);

  log('Postfix: starting a private instance relaying sink.test to the sink, holding what it receives ...');
  const postfix = await startPostfix({
    prefix: 'correio-bench-postfix-',
    relayDomains: [SINK_DOMAIN],
    relayPort: sink.port,
    settings: { smtpd_recipient_restrictions: 'check_recipient_access static:HOLD' },
  });
  cleanups.push(() => postfix.stop({ keepFiles: args.keep }));
  syncCleanups.push(() => postfix.stopSync());
  const postfixVersion = (await postfix.postconf(['-h', 'mail_version'])).trim();
  const postfixMaster = Number(readFileSync(path.join(postfix.queueDir, 'pid', 'master.pid'), 'utf8').trim());
  const postfixLimits = (await postfix.postconf(['-h', 'default_destination_concurrency_limit', 'smtp_connection_cache_on_demand']))
    .trim()
    .split('\n');

  const ctx = { sql, sink, db, dataDir, submitter, postfix, postfixMaster, since: new Date(0) };
  const run = { postfix: (n) => runPostfix(ctx, n), correio: (n, o) => runCorreio(ctx, n, o) };

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `Outbound delivery benchmark — ${new Date().toISOString()}`,
    `machine     ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `load        ${N} messages of ${fmtSize(SIZE)} body, 1 recipient each, all to ${RCPT}; receiver: Postfix smtp-sink on 127.0.0.1:${sink.port}`,
    `postfix     ${postfixVersion}: smtp-source (10 sessions) → smtpd → hold queue; released with postsuper -H ALL + postqueue -f;`,
    `            smtp(8) → [127.0.0.1]:${sink.port} (transport map), stock settings (destination concurrency ${postfixLimits[0]}, connection cache on demand: ${postfixLimits[1]})`,
    `correio     apps/api/dist: submission (roles smtp, ${SUBMIT_CONNECTIONS} connections) fills the queue with no delivery role running;`,
    `            then a process with roles=delivery starts and drains it (transport map ${SINK_DOMAIN}=127.0.0.1:${sink.port};`,
    `            CORREIO_WORKERS=${process.env.CORREIO_WORKERS ?? '1 (unset)'}, CORREIO_DELIVERY_MAX_PER_DOMAIN=${process.env.CORREIO_DELIVERY_MAX_PER_DOMAIN ?? '20 (default)'});`,
    `            DKIM: ${dkimKeys} key(s) of ${SENDER_DOMAIN} (every message signed once, when queued: in the fill, not in the delivery columns; Postfix signs nothing); PostgreSQL ${pgInfo.server_version} (fsync=${pgInfo.fsync}, synchronous_commit=${pgInfo.synchronous_commit})`,
    `load avg    ${loadStart} at start (2 cores shared with other work: both columns are noisy)`,
    `runs        ${reps} per server, interleaved P,C,C,P,P,C...; medians`,
  ];
  for (const line of header) log(line);

  log('warm-up (not measured) ...');
  await run.postfix(Math.min(200, N));
  await run.correio(Math.min(200, N));

  const results = { postfix: [], correio: [] };
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? ['postfix', 'correio'] : ['correio', 'postfix'];
    for (const name of order) {
      let profileDir;
      if (name === 'correio' && args.profile && rep === reps - 1) {
        profileDir = path.resolve(args.profile);
        await mkdir(profileDir, { recursive: true });
      }
      const r = await run[name](N, { profileDir });
      results[name].push(r);
      log(
        `${name.padEnd(7)} run ${rep + 1}: filled in ${r.fillSeconds.toFixed(1)} s; released → all ${N} at the sink ${r.releaseToAll.toFixed(2)} s ` +
          `(first → last ${r.firstToLast.toFixed(2)} s = ${r.rate.toFixed(1)} msg/s), queue empty/delivered at ${r.queueSeconds.toFixed(2)} s; ` +
          `${r.sessions} SMTP sessions; ${r.cpuMsPerMessage.toFixed(2)} ms CPU/msg` +
          (r.xactPerMessage !== undefined
            ? `; ${r.xactPerMessage.toFixed(1)} PostgreSQL commits/msg; process start ${r.startupSeconds.toFixed(2)} s`
            : ''),
      );
      if (profileDir) log(`CPU profile of the delivery process written to ${profileDir}`);
    }
  }

  const m = (name, k) => median(results[name].map((r) => r[k]));
  const rows = [
    ['steady rate: first → last message at the sink (msg/s)', 'rate', (v) => v.toFixed(1)],
    ['release → all at the sink (msg/s)', 'rateFromRelease', (v) => v.toFixed(1)],
    ['release → all at the sink (s)', 'releaseToAll', (v) => v.toFixed(2)],
    ['release → queue empty / all recorded delivered (s)', 'queueSeconds', (v) => v.toFixed(2)],
    ['SMTP sessions to the sink per run', 'sessions', (v) => v.toFixed(0)],
    ['CPU ms per message (Correio: delivery process after start-up; Postfix: all its processes)', 'cpuMsPerMessage', (v) => v.toFixed(2)],
  ];
  const head = [`median of ${reps}`, 'Postfix', 'Correio', 'ratio C/P'];
  const body = rows.map(([label, k, f]) => {
    const p = m('postfix', k);
    const c = m('correio', k);
    const ratio = k === 'rate' || k === 'rateFromRelease' ? `${(c / p).toFixed(2)}×` : k === 'sessions' ? '' : `${(c / p).toFixed(2)}×`;
    return [label, f(p), f(c), ratio];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const table = [line(head), sep, ...body.map(line)].join('\n');
  const ratio = m('correio', 'rate') / m('postfix', 'rate');
  const verdict = `Target (issue 4): Correio ≥ Postfix's rate — ${ratio >= 1 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}× on the steady rate).`;
  const extra = [
    `Correio: ${m('correio', 'xactPerMessage').toFixed(1)} PostgreSQL commits per message while delivering; delivery process start ${m('correio', 'startupSeconds').toFixed(2)} s (median).`,
    `Fill (not in the table): Correio submission ${m('correio', 'fillSeconds').toFixed(1)} s, Postfix smtpd ${m('postfix', 'fillSeconds').toFixed(1)} s for ${N} messages.`,
  ];
  const elapsed = (Date.now() - started) / 1000;
  const footer = `total time ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s; load avg at end ${loadavg()}`;
  console.log(['', ...header, '', table, '', verdict, ...extra, '', footer].join('\n'));
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
