#!/usr/bin/env node
// Usage: node bench/delivery-statement.mjs [--n 400] [--rounds 3]
//
// What the MX's delivery statement (INSERT_COPY_SQL, one 4 KiB message) costs PostgreSQL, part by
// part, next to the floor of any durable write: a plain INSERT of the same bytes into a table with
// only a primary key. Each variant runs N times on one connection (prepared, as the MX runs it),
// round-trip time from this client, medians; with synchronous_commit off (the server's work alone)
// and on (plus the WAL flush the MX's 250 waits for), rounds interleaved. Variants drop one part
// at a time: the search text row ($29 null), the message.received outbox row ($32 false), the two
// statement-level count triggers on messages (disabled with ALTER TABLE on the throwaway database).
// Issue 10's question: how much of one message's end of data is the statement, and what would a
// 250 after a cheaper durable write (a spool row filed later) save. Starts the built API once
// (apps/api/dist: migrations, the sink account, 200 warm-up messages over SMTP), then talks to
// PostgreSQL directly. BENCH_DATABASE_URL as in smtp-ingest.mjs.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { INSERT_COPY_SQL } from '../apps/api/dist/mailbox-store/repositories/delivery.repository.js';
import { cleanup, createDatabase, handleSignals, loadavg, log, median, runCli, startCorreio } from './lib/harness.mjs';
import { commandLatencies } from './lib/smtp-latency.mjs';

const { values: args } = parseArgs({ options: { n: { type: 'string', default: '400' }, rounds: { type: 'string', default: '3' } } });
const N = Number(args.n);
const ROUNDS = Number(args.rounds);
const TRIGGERS = ['messages_counts_insert', 'messages_keyword_counts_insert'];

async function main() {
  handleSignals();
  const server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(server);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'correio-bench-stmt-'));
  const api = await startCorreio({
    databaseUrl: db.url,
    dataDir,
    env: {
      CORREIO_ROLES: 'smtp',
      CORREIO_DOMAIN: 'bench.test',
      CORREIO_ADMIN_ADDRESS: 'postmaster@bench.test',
      CORREIO_ADMIN_PASSWORD: 'bench-admin-pw-1',
    },
  });
  runCli(api.env, ['account', 'add', 'sink@bench.test', '--password', 'bench-sink-pw-1']);
  await commandLatencies(api.ports.smtp, 'sink@bench.test', 200);
  await api.stop();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const account = (await c.query("SELECT id FROM accounts WHERE address = 'sink@bench.test'")).rows[0].id;
    await c.query('CREATE TABLE spool_floor (id bigserial PRIMARY KEY, raw bytea NOT NULL)');
    const raw = Buffer.from(`Subject: statement probe\r\n\r\n${`${'x'.repeat(76)}\r\n`.repeat(53)}`);
    const text = raw.subarray(28).toString();
    // The statement's 37 parameters as the MX passes them for a plain message to INBOX. Each
    // execution gets its own Message-ID and SHA-256, as real mail has: with one constant value every
    // insert went into a growing run of equal keys in two indexes (messages by Message-ID, blobs by
    // hash), which made the statement dearer the longer the run went (session 13).
    let serial = 0;
    const params = (o) => [
      account,
      null,
      'inbox',
      raw.length,
      null,
      raw,
      `sha-${++serial}`,
      null,
      [],
      false,
      false,
      new Date(),
      `<probe-${serial}@bench.test>`,
      null,
      [],
      'statement probe',
      'Probe',
      'probe@client.test',
      '[]',
      '[]',
      new Date(),
      'xxxx',
      false,
      '[]',
      'probe@client.test',
      '{}',
      null,
      28,
      o.noText ? null : text,
      true,
      '2026-12-07',
      !o.noEvent,
      false,
      [],
      null,
      null,
      1,
    ];
    const time = async (query) => {
      const ts = [];
      for (let i = 0; i < N; i++) {
        const t = process.hrtime.bigint();
        await c.query(query());
        ts.push(Number(process.hrtime.bigint() - t) / 1e3);
      }
      return median(ts);
    };
    const variants = [
      ['delivery statement', {}],
      ['  without the search text row', { noText: true }],
      ['  without the outbox event row', { noEvent: true }],
      ['  without the count triggers', { noTriggers: true }],
      ['  without all three', { noText: true, noEvent: true, noTriggers: true }],
      ['plain INSERT of the bytes (floor)', { floor: true }],
    ];
    const results = new Map();
    log(`${N} executions per variant, ${ROUNDS} rounds; load ${loadavg()}`);
    for (let r = 0; r < ROUNDS; r++) {
      for (const mode of ['off', 'on']) {
        await c.query(`SET synchronous_commit = ${mode}`);
        for (const [label, o] of variants) {
          if (o.noTriggers) for (const t of TRIGGERS) await c.query(`ALTER TABLE messages DISABLE TRIGGER ${t}`);
          const us = o.floor
            ? await time(() => ({ name: 'floor', text: 'INSERT INTO spool_floor (raw) VALUES ($1)', values: [raw] }))
            : await time(() => ({ name: 'copy', text: INSERT_COPY_SQL, values: params(o) }));
          if (o.noTriggers) for (const t of TRIGGERS) await c.query(`ALTER TABLE messages ENABLE TRIGGER ${t}`);
          const key = `${label}|${mode}`;
          results.set(key, [...(results.get(key) ?? []), us]);
        }
      }
    }
    console.log(`\nRound trip of one execution, µs (median of ${N}; rounds ${ROUNDS}), load ${loadavg()}`);
    console.log('| statement | synchronous_commit off | on (WAL flush) |\n|:--|--:|--:|');
    for (const [label] of variants) {
      const cell = (mode) =>
        median(results.get(`${label}|${mode}`)).toFixed(0) +
        ` (${results
          .get(`${label}|${mode}`)
          .map((v) => v.toFixed(0))
          .join(' / ')})`;
      console.log(`| ${label.trim()} | ${cell('off')} | ${cell('on')} |`);
    }
  } finally {
    await c.end();
  }
}

main()
  .catch((err) => {
    console.error(`benchmark failed: ${err?.stack ?? err}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
  });
