#!/usr/bin/env node
// SMTP ingest benchmark: Postfix's smtp-source against Correio's MX and against a stock Postfix on the
// same machine, in the same run. See bench/README.md for what it measures and how to read it.
//
//   node bench/smtp-ingest.mjs [--quick] [--reps N] [--sizes 4096,102400] [--sessions 1,10,50]
//                              [--scale F] [--keep] [--latency-only [--rounds R]] [--private-pg] [--filters N]
//
// --filters N gives the sink account N mail filters (issue 15) that the load does not match (so every
// one of them is evaluated on every message, one of them a header test): the rules' cost at delivery.
//
// Needs: root (Postfix's master starts as root), a built API (npm run build), PostgreSQL at
// BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres. Installs Debian's
// postfix if it is missing. Everything binds to and connects to 127.0.0.1 only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  cleanup,
  cleaningUp,
  cleanups,
  children,
  createDatabase,
  diskFlushMicros,
  fmtSize,
  handleSignals,
  interrupts,
  loadavg,
  log,
  median,
  runCli,
  sleep,
  startCorreio,
  syncCleanups,
  API_CLI,
  API_MAIN,
  printUsage,
} from './lib/harness.mjs';
import { ensurePostfix, SMTP_SOURCE_BIN, startPostfix } from './lib/postfix.mjs';
import { startPrivatePostgres } from './lib/private-postgres.mjs';
import { commandLatencies, formatLatency } from './lib/smtp-latency.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_CONFIG = path.join(repoRoot, 'apps/api/dist/config/config.schema.js');

const DOMAIN = 'bench.test';
const RCPT = `sink@${DOMAIN}`;
const SENDER = 'loadgen@client.test';

// Messages per run, per cell: enough for a steady state (every session sends many messages) and
// small enough that a full run (6 cells × 3 repetitions × 2 servers + warm-up) stays near 5 minutes
// on the 2-core machine. --scale multiplies them; --quick divides them by 4 and runs once.
const COUNTS = {
  4096: { 1: 300, 10: 1000, 50: 2000 },
  102400: { 1: 200, 10: 500, 50: 1000 },
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    sizes: { type: 'string', default: '4096,102400' },
    sessions: { type: 'string', default: '1,10,50' },
    scale: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    'latency-only': { type: 'boolean', default: false },
    'private-pg': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '5' },
    filters: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 11);
const reps = Number(args.reps ?? (args.quick ? 1 : 3));
const scale = Number(args.scale) / (args.quick ? 4 : 1);
const sizes = args.sizes.split(',').map(Number);
const sessionCounts = args.sessions.split(',').map(Number);

handleSignals();

// ---------------------------------------------------------------------------------------------
// Correio: a throwaway database on the real PostgreSQL, the built API (MX role only), one account.
// ---------------------------------------------------------------------------------------------
/** The MX only, with the sink account the load goes to. */
async function startCorreioMx(databaseUrl, dataDir) {
  const api = await startCorreio({
    databaseUrl,
    dataDir,
    env: { CORREIO_ROLES: 'smtp', CORREIO_DOMAIN: DOMAIN, CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`, CORREIO_ADMIN_PASSWORD: 'bench-admin-pw-1' },
  });
  runCli(api.env, ['account', 'add', RCPT, '--password', 'bench-sink-pw-1']);
  return { ...api, smtpPort: api.ports.smtp };
}

/**
 * Which greeting mode Correio's MX ran: the configured pause (the value passed in
 * CORREIO_SMTP_GREETING_DELAY_MS, else the API's default read from the build) checked against the
 * pause measured on the wire. Returns { short, long } labels.
 */
function greetingMode(measuredMs) {
  const passed = process.env.CORREIO_SMTP_GREETING_DELAY_MS;
  let schema = '';
  try {
    schema = readFileSync(API_CONFIG, 'utf8');
  } catch {}
  const measured = `measured ${measuredMs.toFixed(1)} ms from connect to 220`;
  if (!schema.includes('CORREIO_SMTP_GREETING_DELAY_MS')) {
    return {
      short: '100 ms (smtp-server default)',
      long: `100 ms (smtp-server default; CORREIO_SMTP_GREETING_DELAY_MS not implemented in this build), ${measured}`,
    };
  }
  const m = /CORREIO_SMTP_GREETING_DELAY_MS[^\n]*?\.default\((\d+)\)/.exec(schema);
  const configured = passed !== undefined && passed !== '' ? Number(passed) : m ? Number(m[1]) : undefined;
  const source =
    passed !== undefined && passed !== ''
      ? `CORREIO_SMTP_GREETING_DELAY_MS=${passed}`
      : `CORREIO_SMTP_GREETING_DELAY_MS unset, the API's default${m ? ` ${m[1]} ms` : ''}`;
  if (configured !== undefined && configured < 90 && measuredMs >= 90) {
    return {
      short: '100 ms (smtp-server default)',
      long: `100 ms (smtp-server default): ${source} is not applied by this build; ${measured}`,
    };
  }
  return { short: `${configured ?? '?'} ms`, long: `${configured ?? '?'} ms (${source}), ${measured}` };
}

/** Milliseconds from TCP connect to the 220 greeting, median of 5. */
async function measureGreeting(port) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    times.push(
      await new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint();
        const s = net.connect(port, '127.0.0.1');
        let t1;
        s.once('connect', () => (t1 = process.hrtime.bigint()));
        s.on('data', (d) => {
          if (/^220[ -]/.test(d.toString())) {
            const ms = Number(process.hrtime.bigint() - (t1 ?? t0)) / 1e6;
            s.end('QUIT\r\n');
            s.destroy();
            resolve(ms);
          }
        });
        s.once('error', reject);
        setTimeout(() => reject(new Error('no greeting in 5 s')), 5_000);
      }),
    );
  }
  return median(times);
}

/**
 * N filters for the account, written as the rules module stores them (mail_rules): a mix of every
 * condition kind, none matching smtp-source's messages, so delivery evaluates all of them and still
 * stores into INBOX. The MX hears the insert (NOTIFY correio_rules) and reads them on first use.
 */
async function addFilters(sql, accountId, n) {
  const kinds = [
    (i) => ({ field: 'from', op: 'contains', value: `nobody${i}@` }),
    (i) => ({ field: 'subject', op: 'matches', value: `*[ticket ${i}]*` }),
    (i) => ({ field: 'toCc', op: 'is', value: `list${i}@lists.example` }),
    (i) => ({ field: 'header', name: 'List-Id', op: 'contains', value: `list${i}.example` }),
    (i) => ({ field: 'size', op: 'over', value: 50 * 2 ** 20 + i }),
  ];
  for (let i = 0; i < n; i++) {
    const conditions = [kinds[i % kinds.length](i), kinds[(i + 1) % kinds.length](i)];
    await sql.query(
      'INSERT INTO mail_rules (account_id, position, name, enabled, match_all, conditions, actions) VALUES ($1, $2, $3, true, $4, $5, $6)',
      [accountId, i, `bench filter ${i}`, i % 2 === 0, JSON.stringify(conditions), JSON.stringify([{ kind: 'label', label: `bench${i}` }, { kind: 'markRead' }])],
    );
  }
}

/** Committed transactions in the bench database so far (PostgreSQL's cumulative statistics). */
async function committedTransactions(databaseUrl) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    return Number((await c.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()')).rows[0].xact_commit);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// One run: smtp-source → server, then stored = acknowledged.
// ---------------------------------------------------------------------------------------------

/**
 * Runs smtp-source: `count` messages of `size` body bytes over `sessions` parallel sessions, a new
 * connection per message (its default), HELO, one recipient. Without -A, smtp-source aborts with a
 * non-zero exit at the first reply that is not the expected 2xx/3xx — including the reply to the
 * final "." of DATA (checked against a server that refuses the 5th message: "fatal: end of data
 * rejected", exit 1) — so exit 0 with -m N means exactly N messages got a 250 after their DATA. The
 * -c counter counts completed DATA exchanges, the refused one included, so after an abort it is
 * only an upper bound; such a run is reported as failed, never timed.
 */
function smtpSource(port, size, sessions, count) {
  const argv = ['-4', '-c', '-s', String(sessions), '-m', String(count), '-l', String(size)];
  argv.push('-M', 'loadgen.client.test', '-f', SENDER, '-t', RCPT, `127.0.0.1:${port}`);
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(SMTP_SOURCE_BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('exit', (code, signal) => {
      children.delete(child);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const counter = Number(stdout.trim().split(/\s+/).pop() || 0);
      resolve({ ok: code === 0, code: code ?? signal, seconds, acknowledged: code === 0 ? count : counter, stderr: stderr.trim() });
    });
  });
}

async function runOnce(target, size, sessions, count) {
  const before = await target.stored();
  const t0 = process.hrtime.bigint();
  const r = await smtpSource(target.port, size, sessions, count);
  const after = await target.settle(before + r.acknowledged);
  // Until every acknowledged message is in the mailbox (Correio: at the 250; Postfix: queue drained).
  const storedSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const stored = after - before;
  const result = {
    target: target.name,
    size,
    sessions,
    count,
    ...r,
    stored,
    rate: r.acknowledged / r.seconds,
    storedRate: r.acknowledged / storedSeconds,
  };
  if (!r.ok) {
    throw Object.assign(
      new Error(`smtp-source against ${target.name} failed (exit ${r.code}) after ${r.acknowledged}/${count}: ${r.stderr}`),
      {
        result,
      },
    );
  }
  if (stored !== r.acknowledged) {
    throw Object.assign(
      new Error(`${target.name}: ${r.acknowledged} acknowledged but ${stored} stored (${size} B, ${sessions} sessions)`),
      {
        result,
      },
    );
  }
  await target.reset();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------
async function main() {
  const started = Date.now();
  if (!existsSync(API_MAIN) || !existsSync(API_CLI)) {
    log('apps/api/dist is missing: npm run build ...');
    const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const problem = await ensurePostfix({ install: true, log });
  if (problem) throw new Error(problem);

  // --private-pg: a cluster of the run's own (bench/lib/private-postgres.mjs), as Postfix has its own queue.
  const serverUrl = args['private-pg']
    ? await startPrivatePostgres()
    : process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(serverUrl);
  const sql = new pg.Client({ connectionString: db.url });
  const pgInfo = {};
  {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    for (const k of ['server_version', 'fsync', 'synchronous_commit', 'full_page_writes']) {
      pgInfo[k] = (await c.query(`SHOW ${k}`)).rows[0][k];
    }
    await c.end();
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-data-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  log(`Correio: database ${db.name}, starting the API (MX only) ...`);
  const correio = await startCorreioMx(db.url, dataDir);
  await sql.connect();
  cleanups.push(() => sql.end());
  const accountId = (await sql.query('SELECT id FROM accounts WHERE address = $1', [RCPT])).rows[0]?.id;
  if (!accountId) throw new Error(`account ${RCPT} was not created`);
  const filterCount = Number(args.filters);
  if (filterCount > 0) await addFilters(sql, accountId, filterCount);

  log('Postfix: starting a private instance ...');
  const postfix = await startPostfix({ domains: [DOMAIN], prefix: 'correio-bench-postfix-' });
  cleanups.push(() => postfix.stop({ keepFiles: args.keep }));
  syncCleanups.push(() => postfix.stopSync());
  const postfixVersion = (await postfix.postconf(['-h', 'mail_version'])).trim();

  const targets = {
    postfix: {
      name: 'postfix',
      port: postfix.port,
      stored: () => postfix.maildirCount(),
      // Postfix acknowledges after its queue file is on disk; its delivery agent writes the Maildir
      // afterwards. Wait for the queue to drain, then count.
      async settle(expected) {
        const deadline = Date.now() + 300_000;
        for (;;) {
          const queued = await postfix.queueCount();
          const n = await postfix.maildirCount();
          if (queued === 0 && n >= expected) return n;
          if (Date.now() > deadline) return n;
          if (queued === 0) {
            // Queue empty but fewer in the Maildir than acknowledged: give virtual(8) a moment.
            await sleep(1000);
            return postfix.maildirCount();
          }
          await sleep(20);
        }
      },
      reset: () => postfix.clearMaildir(),
    },
    correio: {
      name: 'correio',
      port: correio.smtpPort,
      stored: async () => Number((await sql.query('SELECT count(*)::int AS n FROM messages WHERE account_id = $1', [accountId])).rows[0].n),
      // Correio answers 250 after COMMIT: the rows are there when the reply is.
      settle: async () => targets.correio.stored(),
      reset: async () => {},
    },
  };

  const greeting = greetingMode(await measureGreeting(correio.smtpPort));
  const postfixGreeting = await measureGreeting(postfix.port);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const header = [
    `SMTP ingest benchmark — ${new Date().toISOString()}`,
    `machine     ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `disk flush  ${diskFlushMicros().toFixed(0)} µs per 8 kB write + fdatasync (median of 200; both servers wait for one per message)`,
    `load        smtp-source (Postfix ${postfixVersion}): HELO, 1 recipient, new connection per message, -l <size> body bytes`,
    `postfix     ${postfixVersion}, private instance on 127.0.0.1:${postfix.port}: smtpd → queue (fsync) → virtual(8) → Maildir;`,
    `            smtpd_peername_lookup = no, no postscreen, no client restrictions, otherwise stock settings`,
    `correio     apps/api/dist (roles: smtp) on 127.0.0.1:${correio.smtpPort}: 250 after COMMIT on PostgreSQL ${pgInfo.server_version}${args['private-pg'] ? ' (a private cluster, --private-pg)' : ' (the shared server)'}`,
    `            (fsync=${pgInfo.fsync}, synchronous_commit=${pgInfo.synchronous_commit}); reverse DNS off`,
    `greeting    Correio MX pause before 220: ${greeting.long} (Postfix: ${postfixGreeting.toFixed(1)} ms)`,
    `load avg    ${loadavg()} at start (other work on the machine skews both columns alike; re-run if it is high)`,
    `filters     ${filterCount} mail filter(s) on the sink account, none matching the load (all evaluated per message)`,
    `runs        ${reps} per cell and server, interleaved P,C,C,P,P,C...; medians; stored = acknowledged checked after every run`,
  ];
  for (const line of header) log(line);

  // Warm-up: JIT, PostgreSQL caches, Postfix's process pools. Not measured. The one-session round and
  // the 1,500 at 10 sessions are there for V8: until session 12 the warm-up was 200 + 50 at 10
  // sessions, and the MX's first 1-session runs right after it came in at 285 / 315 msg/s against
  // 437 for its third (bench/README "Quiet run at the end of session 12"): the code of the one-session
  // path was not optimized yet. bench/mx-cpu.mjs warms up the same way. Postfix gets the same load.
  log('warm-up ...');
  for (const t of [targets.postfix, targets.correio]) {
    await runOnce(t, 4096, 1, 300);
    await runOnce(t, 4096, 10, 1500);
    await runOnce(t, 102400, 10, 50);
  }
  if (args['latency-only']) {
    // Only the one-session probe, R rounds of 100 sessions per server, interleaved P,C,C,P,...:
    // on a shared machine a burst of load then hits both servers alike. Medians of the rounds.
    const rounds = Number(args.rounds);
    const probes = { postfix: [], correio: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of round % 2 === 0 ? ['postfix', 'correio'] : ['correio', 'postfix']) {
        const t = await commandLatencies(targets[name].port, RCPT);
        probes[name].push(t);
        log(`round ${round + 1} ${name.padEnd(7)}: end of data ${t['end of data'].toFixed(3)} ms, total ${Object.values(t).reduce((a, b) => a + b, 0).toFixed(3)} ms (load ${loadavg()})`);
      }
      await postfix.waitForEmptyQueue();
      await postfix.clearMaildir();
    }
    const med = (list) => Object.fromEntries(Object.keys(list[0]).map((k) => [k, median(list.map((t) => t[k]))]));
    console.log(['', ...header, '', `One message, one session at a time (4 KiB), medians of ${rounds} rounds × 100 sessions, ms from the previous step:`, formatLatency({ postfix: med(probes.postfix), correio: med(probes.correio) }), '', `load avg at end ${loadavg()}`].join('\n'));
    return;
  }
  // Diagnostics for whoever tunes the MX: where one message's time goes, and how many PostgreSQL
  // transactions it costs (backends report statistics when idle, at most every 10 s: hence the wait).
  log('latency probe (100 sequential sessions per server) and PostgreSQL transactions per message ...');
  const latency = { postfix: await commandLatencies(postfix.port, RCPT), correio: await commandLatencies(correio.smtpPort, RCPT) };
  await postfix.waitForEmptyQueue();
  await postfix.clearMaildir();
  // Idle backends report their statistics up to 10 s late, so the counter is read only after 11 s
  // of quiet on BOTH sides: read right after the latency probe, the "before" value missed the
  // probe's own 100 messages and the count came out ~3 transactions per message too high.
  await sleep(11_000);
  const xactBefore = await committedTransactions(db.url);
  await runOnce(targets.correio, 4096, 10, 200);
  await sleep(11_000);
  // 200 messages, minus this script's own statements (2 counts per run, 1 statistics read).
  const xactPerMessage = ((await committedTransactions(db.url)) - xactBefore - 3) / 200;

  const rows = [];
  for (const size of sizes) {
    for (const sessions of sessionCounts) {
      const count = Math.max(sessions, Math.round((COUNTS[size]?.[sessions] ?? 500) * scale));
      const rates = { postfix: [], correio: [] };
      const storedRates = { postfix: [], correio: [] };
      for (let rep = 0; rep < reps; rep++) {
        const order = rep % 2 === 0 ? ['postfix', 'correio'] : ['correio', 'postfix'];
        for (const name of order) {
          const r = await runOnce(targets[name], size, sessions, count);
          rates[name].push(r.rate);
          storedRates[name].push(r.storedRate);
          log(
            `${fmtSize(size).padStart(7)} ${String(sessions).padStart(2)} sessions ${name.padEnd(7)} run ${rep + 1}: ` +
              `${r.acknowledged}/${count} acknowledged in ${r.seconds.toFixed(2)} s = ${r.rate.toFixed(1)} msg/s, ${r.stored} stored ✓` +
              (name === 'postfix' ? ` (in the Maildir at ${r.storedRate.toFixed(1)} msg/s)` : ''),
          );
        }
      }
      if (!correio.alive()) throw new Error(`the API died:\n${correio.output().slice(-3000)}`);
      rows.push({
        size,
        sessions,
        count,
        postfix: median(rates.postfix),
        correio: median(rates.correio),
        postfixStored: median(storedRates.postfix),
      });
    }
  }

  const elapsed = (Date.now() - started) / 1000;
  const table = formatTable(rows, greeting.short);
  const latencyTable = formatLatency(latency);
  const diagnostics = [
    'One message, one session at a time (4 KiB, median of 100 sessions), ms from the previous step:',
    latencyTable,
    '',
    `Correio: ${xactPerMessage.toFixed(1)} committed PostgreSQL transactions per message (pg_stat_database.xact_commit, 200 messages).`,
  ];
  const footer = `total time ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s; load avg at end ${loadavg()}`;
  console.log(['', ...header, '', table, '', ...diagnostics, '', footer].join('\n'));
}


function formatTable(rows, greeting) {
  const head = [
    'size',
    'sessions',
    'messages/run',
    'Postfix msg/s',
    'Correio msg/s',
    'ratio C/P',
    'Correio greeting',
    'Postfix → Maildir msg/s',
  ];
  const body = rows.map((r) => [
    fmtSize(r.size),
    String(r.sessions),
    String(r.count),
    r.postfix.toFixed(1),
    r.correio.toFixed(1),
    `${(r.correio / r.postfix).toFixed(2)}×`,
    greeting,
    r.postfixStored.toFixed(1),
  ]);
  const left = (i) => i <= 1 || i === 6;
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
    // After Ctrl-C the killed smtp-source makes main fail too: that is not worth a stack trace.
    if (!cleaningUp) console.error(`\nbenchmark failed: ${err.stack ?? err}`);
    await cleanup();
    process.exit(cleaningUp && interrupts ? 130 : 1);
  });
