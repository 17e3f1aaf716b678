#!/usr/bin/env node
// IMAP benchmark: Correio's IMAP server next to a private Dovecot (Debian's dovecot-imapd) on the
// same machine, in the same run, interleaved, medians. See bench/README.md ("imap.mjs").
//
//   node bench/imap.mjs [--quick] [--reps N] [--cold-reps N] [--sync N] [--fetch N] [--search N]
//                       [--mixed-seconds S] [--idle N] [--load append|smtp] [--only CELLS|dovecot] [--keep]
//
// --sync N: messages in the full-sync mailbox (default 10,000); --fetch N: messages of FETCH
// BODY[] (default 1,000, the first N of the sync mailbox); --search N: messages in the SEARCH TEXT
// mailbox (default 100,000); --mixed-seconds: length of one mixed-load run (default 20);
// --idle N: IDLE push deliveries per run (default 50); --quick: 1,000 / 200 / 5,000 messages,
// 5 s, 20 deliveries, 1 run each. --only dovecot: the Dovecot half alone (no Correio).
// --only sync,body,mixed (any of sync, body, search, mixed, idle, comma-separated): those cells
// alone, at full size; without search the 100,000-message mailbox is not loaded (most of a full
// run's time), e.g. to re-measure FETCH and the mixed load on a quiet machine in a few minutes.
// --load: how the corpus gets into Correio — MULTIAPPEND batches (default) or SMTP to its MX.
//
// Needs: root (Dovecot's master starts as root; "cold" drops the page cache), a built API
// (npm run build), PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres.
// Installs Debian's dovecot-imapd when missing. Everything binds to and connects to 127.0.0.1.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connectImap } from './imap/client.mjs';
import { NEEDLE, makeMessage, needleCount } from './imap/corpus.mjs';
import { dovecotVersion, ensureDovecotImap, startDovecotImap } from './imap/dovecot.mjs';
import { appendCorpus, copyCorreioToMaildir, deliverCorpus, smtpConnection, writeCorpusToMaildir } from './imap/load.mjs';
import { fetchBodies, fullSync, idleLatency, mixedLoad, percentile, searchText } from './imap/metrics.mjs';
import { formatTable } from './imap/report.mjs';
import {
  API_CLI,
  API_MAIN,
  cleaningUp,
  cleanup,
  cleanups,
  createDatabase,
  diskFlushMicros,
  freePort,
  handleSignals,
  interrupts,
  loadavg,
  log,
  median,
  printUsage,
  runCli,
  startCorreio,
  syncCleanups,
} from './lib/harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOMAIN = 'bench.test';
const PASSWORD = 'bench-password-1';
const MIXED_CLIENTS = 10;
const MIXED_MESSAGES = 300;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    'cold-reps': { type: 'string' },
    sync: { type: 'string' },
    fetch: { type: 'string' },
    search: { type: 'string' },
    'mixed-seconds': { type: 'string' },
    idle: { type: 'string' },
    only: { type: 'string' },
    load: { type: 'string', default: 'append' },
    keep: { type: 'boolean', default: false },
    api: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 18);
const quick = args.quick;
const reps = Number(args.reps ?? (quick ? 1 : 3));
const coldReps = Number(args['cold-reps'] ?? (quick ? 1 : 3));
const syncN = Number(args.sync ?? (quick ? 1000 : 10_000));
const fetchN = Math.min(syncN, Number(args.fetch ?? (quick ? 200 : 1000)));
const searchN = Number(args.search ?? (quick ? 5000 : 100_000));
const mixedSeconds = Number(args['mixed-seconds'] ?? (quick ? 5 : 20));
const idleN = Number(args.idle ?? (quick ? 20 : 50));
const ALL_CELLS = ['sync', 'body', 'search', 'mixed', 'idle'];
/** Unmeasured FETCH BODY[] runs per server before the cell's runs (see the cell). */
const BODY_WARMUPS = 3;
const onlyList = (args.only ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
const unknown = onlyList.filter((x) => x !== 'dovecot' && !ALL_CELLS.includes(x));
if (unknown.length > 0) throw new Error(`--only: unknown ${unknown.join(', ')} (cells: ${ALL_CELLS.join(', ')}, or dovecot)`);
const withCorreio = !onlyList.includes('dovecot');
const cells = new Set(onlyList.some((x) => ALL_CELLS.includes(x)) ? onlyList.filter((x) => ALL_CELLS.includes(x)) : ALL_CELLS);

const U = {
  sync: `sync@${DOMAIN}`,
  search: `search@${DOMAIN}`,
  idle: `idle@${DOMAIN}`,
  mixed: Array.from({ length: MIXED_CLIENTS }, (_, k) => `mix${String(k + 1).padStart(2, '0')}@${DOMAIN}`),
};
const allUsers = [U.sync, U.search, U.idle, ...U.mixed];
/** The mailboxes the chosen cells read: [user, corpus profile, messages]. */
const corpora = [
  ...(cells.has('sync') || cells.has('body') ? [[U.sync, 'mixed', syncN]] : []),
  ...(cells.has('search') ? [[U.search, 'text', searchN]] : []),
  ...(cells.has('mixed') ? U.mixed.map((u) => [u, 'text', MIXED_MESSAGES]) : []),
];

handleSignals();

/** "Cold": the OS page cache emptied (needs root; PostgreSQL's own shared_buffers are not). */
function dropCaches() {
  spawnSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

// --api path/to/apps/api/dist/main.js: another build of Correio (A/B runs with the same benchmark code).
const apiMain = args.api ? path.resolve(args.api) : API_MAIN;
const apiCli = args.api ? path.join(path.dirname(apiMain), 'cli/main.js') : API_CLI;

async function startCorreioImap(databaseUrl, dataDir) {
  const imap = await freePort();
  const imaps = await freePort();
  const c = await startCorreio({
    databaseUrl,
    dataDir,
    apiMain,
    env: {
      CORREIO_ROLES: 'smtp,imap',
      CORREIO_IMAP_PORT: String(imap),
      CORREIO_IMAPS_PORT: String(imaps),
      // Plain LOGIN on loopback, as the Dovecot instance's disable_plaintext_auth = no.
      CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
      CORREIO_DOMAIN: DOMAIN,
      CORREIO_ADMIN_ADDRESS: `postmaster@${DOMAIN}`,
      CORREIO_ADMIN_PASSWORD: PASSWORD,
    },
  });
  return { ...c, imapPort: imap };
}

/** Runs `fn(name)` reps times per server, interleaved D,C,C,D,D,C...; returns the results per server. */
async function interleaved(names, times, fn) {
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let rep = 0; rep < times; rep++) {
    const order = rep % 2 === 0 ? names : [...names].reverse();
    for (const n of order) out[n].push(await fn(n, rep));
  }
  return out;
}

/** Waits (up to 10 min) until Correio's background text indexer has no pending rows left, if it has that table. */
async function waitForTextIndex(sql) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const r = await sql.query("SELECT to_regclass('message_text_pending') IS NOT NULL AS has").catch(() => ({ rows: [{ has: false }] }));
    if (!r.rows[0].has) return;
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM message_text_pending');
    if (rows[0].n === 0) return;
    if (Date.now() > deadline) throw new Error(`Correio's text indexer still has ${rows[0].n} pending rows after 10 min`);
    log(`Correio: waiting for the text indexer (${rows[0].n} rows pending) ...`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

async function main() {
  const started = Date.now();
  const loadStart = loadavg();
  if (withCorreio && !args.api && (!existsSync(API_MAIN) || !existsSync(API_CLI))) {
    log('apps/api/dist is missing: npm run build ...');
    const r = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build failed');
  }
  const problem = await ensureDovecotImap({ install: true, log });
  if (problem) throw new Error(problem);

  // ---- Correio: database, API (smtp + imap), accounts, the corpus over SMTP -------------------
  let correio = null;
  let sql = null;
  let db = null;
  let dataDir = null;
  let pgVersion = '-';
  const hashes = new Map();
  if (withCorreio) {
    const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
    db = await createDatabase(serverUrl);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-imap-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    log(`Correio: database ${db.name}, starting the API (roles smtp,imap) ...`);
    correio = await startCorreioImap(db.url, dataDir);
    for (const u of allUsers) runCli(correio.env, ['account', 'add', u, '--password', PASSWORD, '--quota', '0'], apiCli);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    cleanups.push(() => sql.end());
    pgVersion = (await sql.query('SHOW server_version')).rows[0].server_version;
    for (const r of (await sql.query('SELECT address, password_hash FROM accounts WHERE address = ANY($1)', [allUsers])).rows) {
      hashes.set(r.address, r.password_hash);
    }
    const fill = async (user, profile, n) => {
      const t0 = Date.now();
      const progress = (d) => log(`  ${user}: ${d} of ${n} stored`);
      try {
        if (args.load === 'smtp') await deliverCorpus(correio.ports.smtp, user, profile, n, { connections: 10, progress });
        else await appendCorpus(correio.imapPort, user, PASSWORD, profile, n, { progress, connections: n > 1000 ? 3 : 1 });
      } catch (err) {
        throw new Error(`${err.message}\nthe API's last output:\n${correio.output().slice(-3000)}`);
      }
      log(
        `Correio: ${n} '${profile}' messages into ${user} ${args.load === 'smtp' ? 'over SMTP' : 'by MULTIAPPEND'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
    };
    // Accounts in parallel: on one account every store waits for the previous COMMIT.
    // The big mailboxes first, then the small ones: all at once kept more transactions open than
    // the API's pool has connections, and on a loaded machine a MULTIAPPEND waited past the pool's
    // 5 s checkout limit (NO [UNAVAILABLE], seen 2026-12-06 at load average 25).
    await Promise.all(corpora.filter(([, , n]) => n > MIXED_MESSAGES).map(([user, profile, n]) => fill(user, profile, n)));
    await Promise.all(corpora.filter(([, , n]) => n <= MIXED_MESSAGES).map(([user, profile, n]) => fill(user, profile, n)));
    // The text indexer moves new rows under the trigram index in the background: let it finish.
    await waitForTextIndex(sql);
    // Fresh statistics, as autovacuum's auto-analyze would have made long before a client searches
    // a mailbox of this size. Without them PostgreSQL 15 misplans the text search (a nested loop
    // over every message: 26 s for 2,000 messages instead of 21 ms, seen 2026-12-06).
    await sql.query('ANALYZE');
  }

  // ---- Dovecot: private instance, the same bytes in Maildir -----------------------------------
  log('Dovecot: starting a private instance ...');
  const dovecot = await startDovecotImap({
    users: allUsers.map((name) => ({ name, password: PASSWORD, passwordHash: hashes.get(name) })),
    prefix: 'correio-bench-dovecot-imap-',
  });
  cleanups.push(() => dovecot.stop({ keepFiles: args.keep }));
  syncCleanups.push(() => dovecot.stopSync());
  const bytes = {};
  for (const [user, profile, n] of corpora) {
    const t0 = Date.now();
    const r = withCorreio ? await copyCorreioToMaildir(sql, user, dovecot, user) : await writeCorpusToMaildir(dovecot, user, profile, n);
    if (r.messages !== n) throw new Error(`${user}: ${r.messages} messages stored, ${n} delivered`);
    bytes[user] = r.bytes;
    log(`Dovecot: ${n} messages (${(r.bytes / 1e6).toFixed(1)} MB) into ${user}'s Maildir in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const targets = {
    dovecot: { name: 'Dovecot', port: () => dovecot.port, password: PASSWORD },
    correio: { name: 'Correio', port: () => correio.imapPort, password: PASSWORD },
  };
  const names = withCorreio ? ['dovecot', 'correio'] : ['dovecot'];

  // Same flags on both: the older two thirds read, the newest 4% flagged (one STORE each, untimed);
  // then one SELECT + full FETCH per mailbox so Dovecot's index and cache files exist (Dovecot
  // builds them on first access; a real server has them long before a client syncs).
  for (const n of names) {
    const t0 = Date.now();
    for (const [user, , count] of corpora) {
      const c = await connectImap(targets[n].port());
      await c.login(user, PASSWORD);
      await c.command('SELECT INBOX');
      await c.command(`STORE 1:${Math.floor((count * 2) / 3)} +FLAGS.SILENT (\\Seen)`);
      await c.command(`STORE ${count - Math.floor(count / 25)}:${count} +FLAGS.SILENT (\\Flagged)`);
      await c.command('UID FETCH 1:* (FLAGS ENVELOPE)');
      await c.logout();
    }
    log(`${targets[n].name}: flags set and every mailbox read once in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The flag changes left a dead version of two thirds of the rows, and nothing was vacuumed yet, so
  // every index scan would also visit the heap for visibility. A server in use has been through
  // autovacuum long before (its insert and update thresholds are a fifth of the table), as Dovecot
  // keeps its index compact by itself: measure that state, not a table seconds after a bulk load.
  if (sql) await sql.query('VACUUM (ANALYZE)');
  // The load's writes reach the disk now, not in the middle of a cell: PostgreSQL's checkpoint after
  // a bulk load spreads 17–22 s of writes (logged during the body cell, bench/README "body12"), and
  // the kernel writes back Dovecot's Maildir files within 30 s. Both are setup, not the metrics.
  if (sql) await sql.query('CHECKPOINT');
  spawnSync('sync');

  const version = dovecotVersion();
  const header = [
    `IMAP benchmark — ${new Date().toISOString()}`,
    `machine     ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `disk flush  ${diskFlushMicros().toFixed(0)} µs per 8 kB write + fdatasync (median of 200)`,
    `client      raw-socket IMAP (bench/imap/client.mjs), 127.0.0.1, no TLS, LOGIN (not timed except in the mixed load)`,
    `dovecot     ${version}, private instance: imap only, Maildir (LF files, S=/W= sizes in the names), no FTS; LDA for IDLE deliveries`,
    `correio     ${withCorreio ? `apps/api/dist (roles smtp,imap), PostgreSQL ${pgVersion}; corpus ${args.load === 'smtp' ? 'delivered over its MX' : 'stored by MULTIAPPEND (IDLE deliveries over its MX)'}` : 'not run (--only dovecot)'}`,
    `passwords   ${withCorreio ? "both verify the same argon2id hash (Correio's, in Dovecot's passwd-file as {ARGON2ID})" : 'Dovecot {PLAIN}'}`,
    `corpus      bench/imap/corpus.mjs: ${corpora.length === 0 ? 'none' : [bytes[U.sync] !== undefined ? `sync ${syncN} 'mixed' (${(bytes[U.sync] / 1e6).toFixed(1)} MB)` : '', bytes[U.search] !== undefined ? `search ${searchN} 'text' (${(bytes[U.search] / 1e6).toFixed(1)} MB)` : '', cells.has('mixed') ? `${MIXED_CLIENTS} × ${MIXED_MESSAGES} 'text'` : ''].filter(Boolean).join(', ')}`,
    `cells       ${[...cells].join(', ')}${cells.size < ALL_CELLS.length ? ' (--only)' : ''}`,
    `load avg    ${loadStart} at start (other work on the machine skews both columns alike)`,
    `runs        ${reps} per metric and server (cold: ${coldReps}), interleaved D,C,C,D,...; medians; every run checked`,
  ];
  for (const line of header) log(line);
  const show = (label, n, value) => log(`${label.padEnd(24)} ${targets[n].name.padEnd(7)} ${value}`);

  // A cell left out by --only runs nothing and has no results ({}).
  const cell = async (name, run) => (cells.has(name) ? run() : {});

  // ---- 1. full sync, warm ------------------------------------------------------------------------
  if (cells.has('sync')) await interleaved(names, 1, (n) => fullSync(targets[n], U.sync, syncN)); // warm-up
  const syncWarm = await cell('sync', () =>
    interleaved(names, reps, async (n) => {
      const r = await fullSync(targets[n], U.sync, syncN);
      show('sync warm', n, `FETCH ${r.fetchMs.toFixed(1)} ms, SELECT+FETCH ${r.selectFetchMs.toFixed(1)} ms, ${r.bytes} B`);
      return r;
    }),
  );

  // ---- 2. full sync, cold: the server restarted, the page cache dropped, a new connection -------
  let dropped = false;
  const syncCold = await cell('sync', () =>
    interleaved(names, coldReps, async (n) => {
      if (n === 'dovecot') await dovecot.restart();
      else {
        await correio.stop();
        correio = await startCorreioImap(db.url, dataDir);
      }
      dropped = dropCaches();
      const r = await fullSync(targets[n], U.sync, syncN);
      show(
        'sync cold',
        n,
        `FETCH ${r.fetchMs.toFixed(1)} ms, SELECT+FETCH ${r.selectFetchMs.toFixed(1)} ms${dropped ? '' : ' (page cache NOT dropped)'}`,
      );
      return r;
    }),
  );

  // ---- 3. FETCH BODY[] of fetchN messages -------------------------------------------------------
  // Three warm-ups each, not one: the cold cells just restarted Correio's process, and a young Node
  // process's first FETCHes of 15 MB pay V8's optimizing compiles on a thread that competes with
  // PostgreSQL for the two cores (API CPU per FETCH 97–128 ms at first, ~26 ms from the fourth on:
  // bench/README "body12"). The cell measures a server in use, as the warm sync does; Dovecot (no JIT)
  // gets the same three, which warm its page cache as before.
  if (cells.has('body')) await interleaved(names, BODY_WARMUPS, (n) => fetchBodies(targets[n], U.sync, fetchN));
  const bodies = await cell('body', () =>
    interleaved(names, reps, async (n) => {
      const r = await fetchBodies(targets[n], U.sync, fetchN);
      show('FETCH BODY[]', n, `${r.ms.toFixed(1)} ms, ${r.bytes} B`);
      return r;
    }),
  );

  // ---- 4. SEARCH TEXT over searchN messages ---------------------------------------------------------
  const hits = needleCount(searchN);
  if (cells.has('search')) await interleaved(names, 1, (n) => searchText(targets[n], U.search, NEEDLE, hits));
  const search = await cell('search', () =>
    interleaved(names, reps, async (n) => {
      const r = await searchText(targets[n], U.search, NEEDLE, hits);
      show('SEARCH TEXT', n, `${r.ms.toFixed(1)} ms, ${r.hits} hits`);
      return r;
    }),
  );

  // ---- 5. mixed load -------------------------------------------------------------------------------
  if (cells.has('mixed')) await interleaved(names, 1, (n) => mixedLoad(targets[n], U.mixed, Math.min(3, mixedSeconds)));
  const mixed = await cell('mixed', () =>
    interleaved(names, reps, async (n) => {
      const r = await mixedLoad(targets[n], U.mixed, mixedSeconds);
      show('mixed load', n, `${r.commandsPerSecond.toFixed(1)} commands/s (${r.loops} loops)`);
      return r;
    }),
  );
  const mixedSession = await cell('mixed', () =>
    interleaved(names, reps, async (n) => {
      const r = await mixedLoad(targets[n], U.mixed, mixedSeconds, { loginEachLoop: false });
      show('mixed, one session', n, `${r.commandsPerSecond.toFixed(1)} commands/s (${r.loops} loops)`);
      show(
        'mixed, one session',
        n,
        `median ms: ${Object.entries(r.perCommand)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(', ')}`,
      );
      return r;
    }),
  );

  // ---- 6. IDLE push latency ------------------------------------------------------------------------
  let smtp = null;
  const deliverTo = {
    dovecot: async (k) => {
      const sent = performance.now();
      await dovecot.deliver(U.idle, makeMessage(200_000 + k, { profile: 'text', to: U.idle }));
      return { sent, acked: performance.now() };
    },
    correio: async (k) => {
      if (!smtp) {
        smtp = smtpConnection(correio.ports.smtp);
        await smtp.open();
      }
      return smtp.send(U.idle, makeMessage(200_000 + k, { profile: 'text', to: U.idle }));
    },
  };
  const idle = await cell('idle', () =>
    interleaved(names, reps, async (n) => {
      const r = await idleLatency(targets[n], U.idle, idleN, deliverTo[n]);
      if (r.upper.length === 0) show('IDLE push', n, `no EXISTS pushed during IDLE (${r.missed} deliveries waited for 5 s each)`);
      else
        show(
          'IDLE push',
          n,
          `p50 ${percentile(r.upper, 50).toFixed(1)} ms, p99 ${percentile(r.upper, 99).toFixed(1)} ms (from acknowledgement: p50 ${percentile(r.lower, 50).toFixed(1)} ms)${r.missed ? `, ${r.missed} not pushed within 5 s` : ''}`,
        );
      return r;
    }),
  );
  await smtp?.close();
  if (withCorreio && !correio.alive()) throw new Error(`the API died:\n${correio.output().slice(-3000)}`);

  // ---- the table -----------------------------------------------------------------------------------
  const med = (res, n, f) => (res[n] ? median(res[n].map(f)) : undefined);
  const pool = (res, n, key, p) => {
    const xs = res[n]?.flatMap((r) => r[key]) ?? [];
    return xs.length ? percentile(xs, p) : undefined;
  };
  const missed = (n) => (idle[n] ? idle[n].reduce((a, r) => a + r.missed, 0) : 0);
  const both = (res, f) => ({ dovecot: med(res, 'dovecot', f), correio: med(res, 'correio', f) });
  const same = { minSpeedup: 1, text: 'no slower (≥ 1×)' };
  const cellOf = (metric) =>
    metric.startsWith('full sync')
      ? 'sync'
      : metric.startsWith('FETCH')
        ? 'body'
        : metric.startsWith('SEARCH')
          ? 'search'
          : metric.startsWith('mixed')
            ? 'mixed'
            : 'idle';
  const rows = [
    {
      metric: `full sync warm: UID FETCH 1:* (FLAGS ENVELOPE), ${syncN} msgs`,
      unit: 'ms',
      ...both(syncWarm, (r) => r.fetchMs),
      target: same,
    },
    {
      metric: `full sync cold: UID FETCH 1:* (FLAGS ENVELOPE), ${syncN} msgs`,
      unit: 'ms',
      ...both(syncCold, (r) => r.fetchMs),
      target: same,
    },
    { metric: `full sync cold: SELECT + UID FETCH, ${syncN} msgs`, unit: 'ms', ...both(syncCold, (r) => r.selectFetchMs), target: same },
    { metric: `FETCH 1:${fetchN} BODY.PEEK[]`, unit: 'ms', ...both(bodies, (r) => r.ms), target: same },
    {
      metric: `SEARCH TEXT over ${searchN} msgs (${hits} hits)`,
      unit: 'ms',
      ...both(search, (r) => r.ms),
      target: { minSpeedup: 10, text: '≥ 10× faster' },
    },
    {
      metric: `mixed load, ${MIXED_CLIENTS} clients × ${mixedSeconds} s, LOGIN…LOGOUT per loop`,
      unit: 'cmd/s',
      higherIsBetter: true,
      ...both(mixed, (r) => r.commandsPerSecond),
      target: same,
    },
    {
      metric: `mixed load, ${MIXED_CLIENTS} clients × ${mixedSeconds} s, one session each`,
      unit: 'cmd/s',
      higherIsBetter: true,
      ...both(mixedSession, (r) => r.commandsPerSecond),
      target: same,
    },
    {
      metric: 'IDLE push p50 (delivery → EXISTS)',
      unit: 'ms',
      dovecot: pool(idle, 'dovecot', 'upper', 50),
      correio: pool(idle, 'correio', 'upper', 50),
      target: { text: '' },
    },
    {
      metric: 'IDLE push p99 (delivery → EXISTS)',
      unit: 'ms',
      dovecot: pool(idle, 'dovecot', 'upper', 99),
      correio: pool(idle, 'correio', 'upper', 99),
      target: { maxCorreio: 100, text: 'Correio < 100 ms' },
    },
  ].filter((r) => cells.has(cellOf(r.metric)));
  const elapsed = (Date.now() - started) / 1000;
  const notes = cells.size < ALL_CELLS.length ? [`cells run: ${[...cells].join(', ')} (--only)`] : [];
  if (cells.has('sync')) {
    notes.push(
      `cold: ${dropped ? 'the server process restarted and the OS page cache dropped (sync; echo 3 > /proc/sys/vm/drop_caches)' : 'the server process restarted; the page cache could NOT be dropped (not root?)'} before a new connection; PostgreSQL (shared with other databases) keeps its shared_buffers.`,
    );
  }
  if (cells.has('idle')) {
    notes.push(
      `IDLE: ${idleN} deliveries per run × ${reps}, pooled; delivery → EXISTS counts from the last byte of SMTP DATA (Correio) or the start of dovecot-lda (Dovecot): an upper bound of COMMIT → EXISTS. From the acknowledgement (Correio's 250, the LDA's exit): Dovecot p50 ${fmtMs(pool(idle, 'dovecot', 'lower', 50))}, p99 ${fmtMs(pool(idle, 'dovecot', 'lower', 99))}; Correio p50 ${fmtMs(pool(idle, 'correio', 'lower', 50))}, p99 ${fmtMs(pool(idle, 'correio', 'lower', 99))}.`,
      ...names
        .filter((n) => missed(n) > 0)
        .map(
          (n) =>
            `IDLE: ${targets[n].name} did not push ${missed(n)} deliveries within 5 s during IDLE (left out of its percentiles; '—' when none came).`,
        ),
    );
  }
  if (cells.has('body')) {
    notes.push(
      `FETCH BODY[] bytes received: ${names.map((n) => `${targets[n].name} ${bodies[n][0].bytes}`).join(', ')} (the same messages; the framing differs by a few bytes per response).`,
    );
  }
  if (cells.has('mixed')) {
    notes.push(
      `mixed: SELECT, FETCH 20 (FLAGS ENVELOPE), FETCH 1 BODY.PEEK[], STORE, APPEND, UID STORE \\Deleted, EXPUNGE per loop, each client on its own account; "LOGIN…LOGOUT per loop": a new connection and LOGIN (argon2id verify) each loop, LOGOUT at its end; "one session each": one LOGIN for the whole run.`,
    );
  }
  const footer = `total time ${Math.floor(elapsed / 60)} min ${Math.round(elapsed % 60)} s; load avg at start ${loadStart}, at end ${loadavg()}`;
  console.log(['', ...header, '', formatTable(rows), '', ...notes, '', footer].join('\n'));
}

const fmtMs = (v) => (v === undefined ? '—' : `${v.toFixed(1)} ms`);

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
