#!/usr/bin/env node
// Webmail API benchmark (issue 12): the list endpoints on a 1,000,000-message INBOX.
//
//   node bench/webmail-api.mjs [--messages N] [--seconds S] [--clients C] [--repeat R] [--keep]
//                              [--only NAME] [--api path/to/dist/main.js] [--profile DIR]
//
// Seeds N messages (default 1,000,000) into one account's INBOX with generate_series straight into
// the tables (blobs + messages, like bench/imap-search.mjs; threads of two messages, every 50th
// message labelled, two thirds read), VACUUM ANALYZE, prints EXPLAIN ANALYZE of the statements
// behind the list endpoints, then drives each endpoint with C closed-loop clients (default 10) for
// S seconds (default 15) over keep-alive HTTP (Node's fetch), each request a 50-message page at a
// random depth (cursors collected by walking the list first), and prints p50/p95/p99, requests/s
// the API process's CPU time per request (independent of what else the machine runs) and its RSS
// before and after each run, then R more runs of the conversation list with the RSS after each
// (flat memory under load: it must level off, not climb run after run).
// Needs: a built API (npm run build), PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL /
// postgresql://postgres@127.0.0.1:5432/postgres. Binds and connects to 127.0.0.1 only.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanup, cleanups, createDatabase, handleSignals, log, printUsage, startCorreio } from './lib/harness.mjs';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '15' },
    clients: { type: 'string', default: '10' },
    repeat: { type: 'string', default: '4' },
    keep: { type: 'boolean', default: false },
    // A/B: another build's API (e.g. /work/main/apps/api/dist/main.js) on the same seeded data.
    api: { type: 'string' },
    // Only the endpoints whose name matches this regular expression (e.g. "page|counts"); no EXPLAINs then.
    only: { type: 'string' },
    // Writes the API process's CPU profile (.cpuprofile) into this directory when it exits.
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) printUsage(import.meta.url, 15);
const N = Number(args.messages);
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const server = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'bench-password-1';
const KEYWORD = '$label_work';

const rssMiB = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};
/** CPU time (user + system, ms) the process has used: /proc/<pid>/stat fields 14 and 15, in clock ticks. */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** N messages in the INBOX, 50,000 per statement; threads of two; then the mailbox counters and sequences. */
async function seed(pool, accountId, inboxId) {
  const t0 = Date.now();
  const BATCH = 50_000;
  for (let start = 1; start <= N; start += BATCH) {
    const end = Math.min(N, start + BATCH - 1);
    await pool.query(
      `WITH g AS (SELECT n FROM generate_series($3::int, $4::int) n),
            b AS (INSERT INTO blobs (account_id, sha256, size, data) SELECT $1, md5(n::text), 1200, 'x' FROM g RETURNING id, sha256),
            bn AS (SELECT b.id, g.n FROM b JOIN g ON md5(g.n::text) = b.sha256)
       INSERT INTO messages (account_id, mailbox_id, uid, modseq, seen, keywords, internal_date, size, blob_id, message_id_hdr,
                             subject, from_name, from_address, to_addresses, cc_addresses, snippet, attachments, thread_id)
       SELECT $1, $2, bn.n, bn.n, bn.n % 3 <> 0, CASE WHEN bn.n % 50 = 0 THEN ARRAY[$5::text] ELSE '{}'::text[] END,
              timestamptz '2026-01-01' + bn.n * interval '20 seconds', 1200, bn.id, '<m' || bn.n || '@bench.test>',
              'Subject number ' || (bn.n + 1) / 2, 'Sender ' || bn.n % 997, 'user' || bn.n % 997 || '@example.org',
              '[{"name":"Joel","address":"joel@bench.test"}]', '[]',
              'A snippet of about one line of text, as the list shows it for message ' || bn.n, '[]', (bn.n + 1) / 2
         FROM bn`,
      [accountId, inboxId, start, end, KEYWORD],
    );
    if ((end / BATCH) % 4 === 0 || end === N)
      log(`seeded ${end.toLocaleString('en')} messages (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  await pool.query('UPDATE mailboxes SET uid_next = $2 + 1, highest_modseq = $2 + 1 WHERE id = $1', [inboxId, N]);
  await pool.query(`SELECT setval('thread_id_seq', $1::bigint + 1)`, [N]);
  await pool.query(`INSERT INTO labels (account_id, name, keyword) VALUES ($1, 'Work', $2)`, [accountId, KEYWORD]);
  const t1 = Date.now();
  await pool.query('VACUUM ANALYZE messages');
  await pool.query('VACUUM ANALYZE blobs');
  log(
    `seeded ${N.toLocaleString('en')} messages in ${((t1 - t0) / 1000).toFixed(1)} s; VACUUM ANALYZE ${((Date.now() - t1) / 1000).toFixed(1)} s`,
  );
}

async function login(base, address) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Walks a list endpoint from its first page, collecting up to `pages` cursors (deep pages for the load). */
async function collectCursors(base, cookie, route, pages) {
  const cursors = [null];
  let cursor = null;
  for (let i = 0; i < pages; i++) {
    const sep = route.includes('?') ? '&' : '?';
    const res = await fetch(`${base}${route}${cursor ? `${sep}cursor=${cursor}` : ''}`, { headers: { cookie } });
    const body = await res.json();
    cursor = body.nextCursor;
    if (!cursor) break;
    cursors.push(cursor);
  }
  return cursors;
}

/** C closed-loop clients for S seconds; each request a random one of the cursors' pages. */
async function load(base, cookie, route, cursors, pid) {
  const rssBefore = rssMiB(pid);
  const cpuBefore = cpuMs(pid);
  const latencies = [];
  let errors = 0;
  const until = Date.now() + SECONDS * 1000;
  const sep = route.includes('?') ? '&' : '?';
  const client = async () => {
    while (Date.now() < until) {
      const c = cursors[Math.floor(Math.random() * cursors.length)];
      const s = process.hrtime.bigint();
      const res = await fetch(`${base}${route}${c ? `${sep}cursor=${c}` : ''}`, { headers: { cookie } });
      await res.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.status !== 200) errors++;
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const secs = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / secs,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    max: latencies[latencies.length - 1],
    errors,
    // The API's own CPU per request: what a request costs whatever else the machine runs.
    cpuPerRequest: (cpuMs(pid) - cpuBefore) / latencies.length,
    rssBefore,
    rssAfter: rssMiB(pid),
  };
}

/**
 * EXPLAIN ANALYZE of exactly what an API repository sends: the built repository runs against a pool
 * that records its statement, which then runs under EXPLAIN on the real one.
 */
async function capture(call, which) {
  const { ConversationRepository } = await import(
    path.join(repoRoot, 'apps/api/dist/conversations/repositories/conversation.repository.js')
  );
  const { CountsRepository } = await import(path.join(repoRoot, 'apps/api/dist/labels/repositories/counts.repository.js'));
  let captured;
  const recorder = {
    query: async (sql, params) => {
      captured = typeof sql === 'string' ? { sql, params } : { sql: sql.text, params: sql.values };
      return { rows: [] };
    },
  };
  // Unnamed statements: the text and parameters are what EXPLAIN needs (the API prepares them on PostgreSQL).
  await call(which === 'counts' ? new CountsRepository(recorder) : new ConversationRepository(recorder, { preparedStatements: false }));
  return captured;
}

/**
 * The SQL alone at C concurrent connections for S seconds (each its own statement, random depth):
 * what the database contributes to a request's latency, without HTTP and the API's CPU.
 */
async function sqlLoad(url, statements) {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  const latencies = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const st = statements[Math.floor(Math.random() * statements.length)];
        const t = process.hrtime.bigint();
        await pool.query(st.sql, st.params);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { n: latencies.length, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

async function explain(pool, title, call, which) {
  const captured = await capture(call, which);
  const { rows } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${captured.sql}`, captured.params);
  const total = rows.find((r) => r['QUERY PLAN'].startsWith('Execution Time'))?.['QUERY PLAN'];
  console.log(`\nEXPLAIN ANALYZE — ${title}: ${total}\n${rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
}

/** EXPLAIN ANALYZE of each list statement, then the list statements alone under load. */
async function explainAll(pool, url, acct, inbox) {
  const deep = (
    await pool.query(
      'SELECT internal_date, id FROM messages WHERE account_id = $1 AND mailbox_id = $2 ORDER BY internal_date DESC, id DESC OFFSET $3 LIMIT 1',
      [acct.id, inbox.id, Math.floor(N / 2)],
    )
  ).rows[0];
  const middle = { internalDate: deep.internal_date, id: deep.id };
  const { rows: labelRows } = await pool.query('SELECT id, keyword FROM labels WHERE account_id = $1', [acct.id]);
  await explain(
    pool,
    'flat page, middle of the mailbox (GET /mailboxes/:id/page)',
    (repo) => repo.page(acct.id, inbox.id, 51, middle),
    'conversation',
  );
  await explain(
    pool,
    'conversations, first page (GET /conversations)',
    (repo) => repo.list(acct.id, { mailboxId: inbox.id }, 51),
    'conversation',
  );
  await explain(
    pool,
    'conversations, middle of the mailbox',
    (repo) => repo.list(acct.id, { mailboxId: inbox.id }, 51, middle),
    'conversation',
  );
  await explain(
    pool,
    "a label's conversations, first page (GET /conversations?labelId)",
    (repo) => repo.list(acct.id, { keyword: labelRows[0].keyword }, 51),
    'conversation',
  );
  // Unread per mailbox (GET /counts, GET /mailboxes) reads the counts each mailbox row keeps (migration 20261213600000_mailbox_counts).
  await explain(pool, 'label counts (GET /labels, /counts)', (repo) => repo.byKeyword(acct.id), 'counts');

  // The list statements alone, at random depths (cursors at every 5,000th message of the first 200 pages' worth).
  const { rows: depths } = await pool.query(
    `SELECT internal_date, id FROM (SELECT internal_date, id, row_number() OVER (ORDER BY internal_date DESC, id DESC) AS r
       FROM messages WHERE account_id = $1 AND mailbox_id = $2 ORDER BY internal_date DESC, id DESC LIMIT 10000) x WHERE r % 50 = 0`,
    [acct.id, inbox.id],
  );
  const at = depths.map((d) => ({ internalDate: d.internal_date, id: d.id }));
  const sqlRuns = [
    ['flat page (51 rows)', await Promise.all(at.map((c) => capture((repo) => repo.page(acct.id, inbox.id, 51, c))))],
    ['conversation page (51)', await Promise.all(at.map((c) => capture((repo) => repo.list(acct.id, { mailboxId: inbox.id }, 51, c))))],
  ];
  console.log(`\nThe list statements alone, ${CLIENTS} connections × ${SECONDS} s, random depths in the first 10,000 messages:`);
  for (const [name, statements] of sqlRuns) {
    const r = await sqlLoad(url, statements);
    console.log(`  ${name}: ${r.n} statements, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`);
  }
}

async function main() {
  handleSignals();
  const db = await createDatabase(server);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-webmail-bench-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: {
      CORREIO_ROLES: 'http',
      CORREIO_DOMAIN: 'bench.test',
      CORREIO_ADMIN_ADDRESS: 'joel@bench.test',
      CORREIO_ADMIN_PASSWORD: PASSWORD,
      ...(args.profile
        ? {
            NODE_OPTIONS: `--require ${path.join(repoRoot, 'bench/lib/cpu-profile.cjs')}`,
            BENCH_CPU_PROFILE_DIR: path.resolve(args.profile),
            BENCH_CPU_PROFILE_ON_SIGNAL: '1',
          }
        : {}),
    },
    ...(args.api ? { apiMain: path.resolve(args.api) } : {}),
  });
  const base = `http://127.0.0.1:${api.ports.api}`;
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanups.push(() => pool.end());
  const {
    rows: [acct],
  } = await pool.query(`SELECT id FROM accounts WHERE address = 'joel@bench.test'`);
  const {
    rows: [inbox],
  } = await pool.query(`SELECT id FROM mailboxes WHERE account_id = $1 AND special_use = 'inbox'`, [acct.id]);
  await seed(pool, acct.id, inbox.id);

  // The API's own statements (its built repositories, their SQL captured), EXPLAIN ANALYZEd on the seeded data.
  if (!args.only) await explainAll(pool, db.url, acct, inbox);

  const cookie = await login(base, 'joel@bench.test');
  const { rows: labels } = await pool.query('SELECT id FROM labels WHERE account_id = $1', [acct.id]);
  const routes = [
    // The floor on this machine at this moment: no database, no session work beyond the guard.
    ['GET /api/health (baseline: no list)', '/api/health'],
    ['GET /mailboxes/:id/messages (existing list)', `/api/v1/mailboxes/${inbox.id}/messages?limit=50`],
    ['GET /mailboxes/:id/page (list + labels)', `/api/v1/mailboxes/${inbox.id}/page?limit=50`],
    ['GET /conversations (INBOX)', `/api/v1/conversations?mailboxId=${inbox.id}&limit=50`],
    ['GET /conversations (label, 1 in 50 messages)', `/api/v1/conversations?labelId=${labels[0].id}&limit=50`],
    ['GET /counts', '/api/v1/counts'],
    ['GET /labels', '/api/v1/labels'],
  ];
  const rssStart = rssMiB(api.pid);
  const results = [];
  const selected = routes.filter(([name]) => !args.only || new RegExp(args.only).test(name));
  for (const [name, route] of selected) {
    const cursors = route.includes('limit=') ? await collectCursors(base, cookie, route, 200) : [null];
    log(`${name}: ${cursors.length} cursors; ${CLIENTS} clients × ${SECONDS} s`);
    // --profile: the API samples its CPU during this run only (SIGUSR2 starts, the next one writes).
    if (args.profile) process.kill(api.pid, 'SIGUSR2');
    results.push([name, cursors.length, await load(base, cookie, route, cursors, api.pid)]);
    if (args.profile) process.kill(api.pid, 'SIGUSR2');
  }
  console.log(
    `\nWebmail API on ${N.toLocaleString('en')} messages in one INBOX — ${CLIENTS} concurrent clients, ${SECONDS} s each, ` +
      `50-message pages at random depths among the first 200 pages (loadavg ${os.loadavg()[0].toFixed(2)}, ${os.cpus().length} cores)`,
  );
  console.log(
    '| endpoint | pages | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | API CPU ms/req | API RSS before → after (MiB) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const [name, pages, r] of results) {
    console.log(
      `| ${name} | ${pages} | ${r.requests} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.errors} | ${r.cpuPerRequest.toFixed(2)} | ${r.rssBefore.toFixed(0)} → ${r.rssAfter.toFixed(0)} |`,
    );
  }
  console.log(`API RSS: ${rssStart.toFixed(0)} MiB before the first run, ${rssMiB(api.pid).toFixed(0)} MiB after the last`);
  // The memory runs: the conversation list, or with --only the first endpoint chosen.
  const [convName, convRoute] = args.only ? selected[0] : routes.find(([name]) => name.startsWith('GET /conversations (INBOX'));
  const convCursors = await collectCursors(base, cookie, convRoute, 200);
  const after = [];
  for (let i = 0; i < Number(args.repeat); i++) {
    const r = await load(base, cookie, convRoute, convCursors, api.pid);
    after.push(`${r.rssAfter.toFixed(0)} (p99 ${r.p99.toFixed(0)} ms)`);
  }
  console.log(`${convName}, ${args.repeat} more runs of ${SECONDS} s: API RSS after each ${after.join(', ')} MiB`);
  if (args.keep) log(`--keep: database ${db.name} left in place until you stop this process`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => (args.keep ? undefined : cleanup()));
