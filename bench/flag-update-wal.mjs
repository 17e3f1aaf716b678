#!/usr/bin/env node
// Usage: node bench/flag-update-wal.mjs [--messages 300] [--fillfactors 100,85]
//
// What one flag change of a stored message costs PostgreSQL, by the table's fillfactor (migration
// 20261217100000_messages_fillfactor): WAL records and bytes, HOT or not, execution time. Loads an
// account of 'mixed' messages through the built API's IMAP APPEND (apps/api/dist), stops the API,
// then for each fillfactor rewrites `messages` with it (VACUUM FULL) and runs, twice, one UPDATE per
// message in its own transaction — \Flagged toggled and a new modseq, as IMAP STORE and the webmail's
// star do — under EXPLAIN (ANALYZE, WAL). Counts from EXPLAIN and pg_stat_get_xact_* do not depend
// on other work on the machine; the execution time does. BENCH_DATABASE_URL as in smtp-ingest.mjs.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { API_MAIN, cleanup, createDatabase, freePort, handleSignals, imapOnlyEnv, loadavg, log, median, runCli, startCorreio } from './lib/harness.mjs';
import { appendCorpus } from './imap/load.mjs';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '300' }, fillfactors: { type: 'string', default: '100,85' } } });
const N = Number(args.messages);

async function main() {
  handleSignals();
  const server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(server);
  const imap = await freePort();
  const api = await startCorreio({ databaseUrl: db.url, dataDir: await mkdtemp(path.join(os.tmpdir(), 'correio-bench-ff-')), env: imapOnlyEnv(imap, await freePort()) });
  runCli(api.env, ['account', 'add', 'mix@bench.test', '--password', 'bench-password', '--quota', '0'], path.join(path.dirname(API_MAIN), 'cli/main.js'));
  await appendCorpus(imap, 'mix@bench.test', 'bench-password', 'mixed', N);
  await api.stop();
  const q = new pg.Client({ connectionString: db.url });
  await q.connect();
  const { rows: [box] } = await q.query('SELECT account_id AS a, mailbox_id AS b FROM messages LIMIT 1');
  const width = (await q.query('SELECT avg(pg_column_size(m.*))::int AS v FROM messages m')).rows[0].v;
  log(`${N} messages, ${width} bytes per row on average; load ${loadavg()}`);
  const results = [];
  // pg_stat_get_xact_* count since this backend last reported its statistics (PostgreSQL 15: at most
  // once a second), not since BEGIN: an UPDATE's share is the difference around it.
  const hotUpdates = async () => Number((await q.query("SELECT pg_stat_get_xact_tuples_hot_updated('messages'::regclass) AS h")).rows[0].h);
  const pass = async (label) => {
    await q.query('VACUUM (ANALYZE) messages');
    const pages = Number((await q.query("SELECT pg_relation_size('messages') / 8192 AS p")).rows[0].p);
    let records = 0;
    let bytes = 0;
    let hot = 0;
    const times = [];
    for (let uid = 1; uid <= N; uid++) {
      await q.query('BEGIN');
      const hot0 = await hotUpdates();
      const { rows } = await q.query({
        text: 'EXPLAIN (ANALYZE, WAL, FORMAT JSON) UPDATE messages SET flagged = NOT flagged, modseq = modseq + 1 WHERE account_id = $1 AND mailbox_id = $2 AND uid = $3',
        values: [box.a, box.b, uid],
      });
      hot += (await hotUpdates()) - hot0;
      await q.query('COMMIT');
      const plan = rows[0]['QUERY PLAN'][0];
      records += plan.Plan['WAL Records'];
      bytes += plan.Plan['WAL Bytes'];
      times.push(plan['Execution Time'] * 1000);
    }
    results.push({ label, pages, records: records / N, bytes: bytes / N, hot, exec: median(times) });
  };
  for (const ff of args.fillfactors.split(',').map(Number)) {
    await q.query(`ALTER TABLE messages SET (fillfactor = ${ff})`);
    await q.query('VACUUM FULL messages');
    await pass(`fillfactor ${ff}, first change of each row`);
    await pass(`fillfactor ${ff}, second change`);
  }
  await q.end();
  console.log(`\nOne flag UPDATE per message (${N} 'mixed' messages, ${width} B per row), load ${loadavg()}`);
  console.log('| table | heap pages | WAL records | WAL bytes | HOT | execution µs (median) |\n|:--|--:|--:|--:|--:|--:|');
  for (const r of results) console.log(`| ${r.label} | ${r.pages} | ${r.records.toFixed(1)} | ${r.bytes.toFixed(0)} | ${r.hot}/${N} | ${r.exec.toFixed(0)} |`);
}

main().then(
  () => cleanup(),
  (err) => {
    console.error(err);
    cleanup();
    process.exitCode = 1;
  },
);
