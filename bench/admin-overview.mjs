#!/usr/bin/env node
// Benchmark of the admin overview (issue 14): GET /api/v1/admin/overview on an install with
// 10,000 accounts and 1,000,000 messages (and 1,000,000 'message.received' events, 100,000 delivery
// attempts over 30 days). Target: answered in < 1 s. Its figures come from the hourly rollup table,
// the accounts table and the queue's partial index — never a scan of messages (the plans are printed
// with --plans; admin-overview.int.test.ts asserts it).
//
//   npm run build && node bench/admin-overview.mjs [--accounts N] [--per-account N] [--reps N] [--plans] [--keep]
//
// Needs PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres.
// Steps: a throwaway database; the built API started on it (migrations, the admin account); the
// rows seeded with SQL; ANALYZE; the rollup caught up (timed: what the once-a-minute job does after
// a restore); then the overview over HTTP as the admin, p50/p95 of --reps requests after a warm-up.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanup, cleanups, createDatabase, handleSignals, log, startCorreio } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const { OverviewRepository } = require('../apps/api/dist/admin/overview/overview.repository.js');
const { TrafficRollupRepository } = require('../apps/api/dist/admin/overview/traffic-rollup.repository.js');

const { values: args } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    'per-account': { type: 'string', default: '100' },
    reps: { type: 'string', default: '20' },
    plans: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const ACCOUNTS = Number(args.accounts);
const PER = Number(args['per-account']);
const REPS = Number(args.reps);
const server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const ADMIN = { address: 'root@bench.test', password: 'bench-admin-password' };
const secs = (t0) => ((performance.now() - t0) / 1000).toFixed(1);

async function seed(pool) {
  let t0 = performance.now();
  await pool.query(`INSERT INTO domains (name) SELECT 'd' || n || '.bench' FROM generate_series(0, 9) n ON CONFLICT DO NOTHING`);
  // Quotas of 100 MB; one account in 50 at 95% of it (the "near quota" list).
  await pool.query(
    `INSERT INTO accounts (domain_id, address, password_hash, quota_bytes, used_bytes)
     SELECT d.id, 'u' || n || '@' || d.name, 'x', 104857600, CASE WHEN n % 50 = 0 THEN 99614720 ELSE n * 1000 END
       FROM generate_series(1, $1::int) n JOIN domains d ON d.name = 'd' || (n % 10) || '.bench'`,
    [ACCOUNTS],
  );
  await pool.query(
    `INSERT INTO mailboxes (account_id, name, special_use, uid_validity) SELECT id, 'INBOX', 'inbox', 1 FROM accounts WHERE address LIKE 'u%'`,
  );
  await pool.query(`INSERT INTO blobs (account_id, sha256, size, data) SELECT id, md5(id::text), 1000, 'x' FROM accounts WHERE address LIKE 'u%'`);
  log(`${ACCOUNTS} accounts in ${secs(t0)} s`);
  t0 = performance.now();
  const { rows } = await pool.query(`SELECT min(id)::int AS lo, max(id)::int AS hi FROM accounts WHERE address LIKE 'u%'`);
  const { lo, hi } = rows[0];
  for (let a = lo; a <= hi; a += 500) {
    // One message per `PER` spread over 30 days, and its 'message.received' event at the same time.
    await pool.query(
      `WITH m AS (
         INSERT INTO messages (account_id, mailbox_id, uid, modseq, internal_date, size, blob_id, thread_id, subject)
         SELECT a.id, mb.id, g, g, now() - (g * 7919 % 43200) * interval '1 minute', 1000, b.id, g, 'message ' || g
           FROM accounts a JOIN mailboxes mb ON mb.account_id = a.id JOIN blobs b ON b.account_id = a.id
          CROSS JOIN generate_series(1, $3::int) g
          WHERE a.id BETWEEN $1 AND $2
         RETURNING account_id, id, internal_date)
       INSERT INTO account_events (account_id, type, payload, created_at)
       SELECT account_id, 'message.received', jsonb_build_object('id', id::text), internal_date FROM m`,
      [a, Math.min(hi, a + 499), PER],
    );
    if ((a - lo) % 2500 === 0) log(`  messages for accounts up to ${a - lo + 500} (${secs(t0)} s)`);
  }
  log(`${ACCOUNTS * PER} messages and as many events in ${secs(t0)} s`);
  t0 = performance.now();
  // 50,000 sent messages with two attempts each (delivered, deferred or bounced), over 30 days.
  await pool.query(
    `WITH o AS (
       INSERT INTO outbound_messages (account_id, blob_id, size, envelope_from, expires_at, created_at)
       SELECT b.account_id, b.id, 1000, 'u@bench', now() + interval '5 days', now() - (g * 613 % 43200) * interval '1 minute'
         FROM generate_series(1, 50000) g JOIN blobs b ON b.id = (SELECT min(id) FROM blobs) + g % $1
       RETURNING account_id, id, created_at),
     r AS (
       INSERT INTO outbound_recipients (account_id, message_id, address, domain, state, attempts)
       SELECT account_id, id, 'x@remote.example', 'remote.example',
              (CASE WHEN id % 10 = 0 THEN 'deferred' WHEN id % 25 = 0 THEN 'bounced' ELSE 'delivered' END)::queue_state, 2
         FROM o RETURNING account_id, message_id, id)
     INSERT INTO outbound_attempts (account_id, message_id, recipient_id, attempted_at, result, reply)
     SELECT r.account_id, r.message_id, r.id, o.created_at + k * interval '1 minute',
            (CASE WHEN k = 1 THEN 'deferred' WHEN r.id % 25 = 0 THEN 'bounced' ELSE 'delivered' END)::queue_state, '250 ok'
       FROM r JOIN o ON o.id = r.message_id CROSS JOIN generate_series(1, 2) k`,
    [ACCOUNTS],
  );
  log(`50,000 outbound messages, 100,000 attempts in ${secs(t0)} s`);
  t0 = performance.now();
  await pool.query('VACUUM ANALYZE');
  log(`VACUUM ANALYZE in ${secs(t0)} s`);
}

async function catchUp(pool) {
  const rollup = new TrafficRollupRepository(pool);
  const t0 = performance.now();
  let runs = 0;
  for (;;) {
    await rollup.rollUp();
    runs++;
    const { rows } = await pool.query(
      `SELECT bool_and(last_id >= seen_id) AND (SELECT max(id) FROM account_events) <= min(last_id) FILTER (WHERE source = 'account_events') AS done
         FROM admin_rollup_cursor`,
    );
    if (rows[0].done && runs > 1) break;
  }
  return { runs, seconds: Number(secs(t0)) };
}

async function login(origin) {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`admin login: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

async function main() {
  handleSignals();
  const db = await createDatabase(server);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'correio-bench-admin-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: { CORREIO_ROLES: 'http', CORREIO_DOMAIN: 'bench.test', CORREIO_ADMIN_ADDRESS: ADMIN.address, CORREIO_ADMIN_PASSWORD: ADMIN.password },
  });
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    await seed(pool);
    const caught = await catchUp(pool);
    log(`rollup caught up in ${caught.runs} runs, ${caught.seconds} s`);
    const origin = `http://127.0.0.1:${api.ports.api}`;
    const cookie = await login(origin);
    const get = async () => {
      const t0 = performance.now();
      const res = await fetch(`${origin}/api/v1/admin/overview`, { headers: { cookie } });
      const body = await res.json();
      if (!res.ok) throw new Error(`overview: ${res.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, body };
    };
    const first = await get();
    const times = [];
    for (let i = 0; i < REPS; i++) times.push((await get()).ms);
    const o = first.body;
    console.log(`\nGET /api/v1/admin/overview — ${ACCOUNTS} accounts, ${ACCOUNTS * PER} messages, ${REPS} requests after one warm-up`);
    console.log(`| first (cold) ms | p50 ms | p95 ms | max ms | target |`);
    console.log(`|---:|---:|---:|---:|---|`);
    console.log(`| ${first.ms.toFixed(1)} | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${Math.max(...times).toFixed(1)} | < 1000 ms: ${Math.max(first.ms, ...times) < 1000 ? 'met' : 'NOT met'} |`);
    console.log(
      `\nFigures: last 30 days received ${o.traffic.last30d.received}, sent ${o.traffic.last30d.sent}, deferred ${o.traffic.last30d.deferred}, bounced ${o.traffic.last30d.bounced}; ` +
        `queue depth ${o.queue.depth}; ${o.storage.length} domains; ${o.nearQuota.length} accounts listed near quota. Rollup catch-up: ${caught.runs} runs, ${caught.seconds} s.`,
    );
    if (args.plans) {
      for (const sql of [OverviewRepository.STORAGE_SQL, OverviewRepository.NEAR_QUOTA_SQL, OverviewRepository.OVERDUE_SQL]) {
        const { rows } = await pool.query(`EXPLAIN ANALYZE ${sql}`);
        console.log(`\n${sql.replace(/\s+/g, ' ')}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
    }
  } finally {
    await pool.end();
    if (args.keep) log(`kept database ${db.name}`);
    else await cleanup();
  }
}

main().catch(async (err) => {
  console.error(err);
  await cleanup();
  process.exit(1);
});
