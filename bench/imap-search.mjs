#!/usr/bin/env node
// Microbenchmark of the IMAP text search index (issue 11): SEARCH TEXT over 100,000 messages of
// one mailbox in PostgreSQL, through the message_text table and its trigram GIN index
// (prisma/migrations/20261207100000_imap), and what the search text adds to storing one message
// (delivery writes message_text_pending; the indexer moves rows under the index later).
//
//   node bench/imap-search.mjs [--messages N] [--reps N] [--keep]
//
// Needs PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres
// and a built @correio/db (its migrator applies the project's migrations to a fresh database).
// The query is the shape ImapSearchRepository runs for SEARCH TEXT (search/search-sql.ts compiles
// TEXT to this semi-join over the indexed and the pending rows); the data is synthetic:
// Portuguese/English words, ~1 KB of text each.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanup, createDatabase, log, median } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const { migrate } = require('../libs/db/dist/index.js');

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.messages);
const REPS = Number(args.reps);
const server = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

const WORDS = `reunião orçamento relatório projeto cliente proposta contrato entrega prazo semana amanhã ontem equipe
  servidor mensagem correio anexo fatura pagamento pedido produto viagem hotel voo bilhete conferência apresentação
  meeting budget report project customer proposal contract delivery deadline week tomorrow yesterday team server
  message mail attachment invoice payment order product travel flight ticket conference slides please thanks regards
  hello bom dia obrigado abraço atenciosamente segue abaixo favor confirmar recebimento quando possível urgente
  importante revisão versão final rascunho documento planilha tabela gráfico número valor total mês ano trimestre`
  .split(/\s+/)
  .filter(Boolean);

const TEXT_QUERY = `SELECT m.uid FROM messages m WHERE m.account_id = $1 AND m.mailbox_id = $2
  AND (m.blob_id IN (SELECT t.blob_id FROM message_text t WHERE t.account_id = $1 AND t.content LIKE $3
                     UNION ALL SELECT t.blob_id FROM message_text_pending t WHERE t.account_id = $1 AND t.content LIKE $3)) ORDER BY m.uid`;

async function main() {
  const db = await createDatabase(server);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    await migrate(pool);
    const {
      rows: [acct],
    } = await pool.query(
      `WITH d AS (INSERT INTO domains (name) VALUES ('bench.test') RETURNING id)
       INSERT INTO accounts (domain_id, address, password_hash) SELECT id, 'joel@bench.test', 'x' FROM d RETURNING id`,
    );
    const {
      rows: [box],
    } = await pool.query(
      `INSERT INTO mailboxes (account_id, name, special_use, uid_validity) VALUES ($1, 'INBOX', 'inbox', 1) RETURNING id`,
      [acct.id],
    );
    // A second account with as many messages, so the index holds other tenants' rows too.
    const {
      rows: [other],
    } = await pool.query(
      `INSERT INTO accounts (domain_id, address, password_hash) SELECT id, 'ana@bench.test', 'x' FROM domains RETURNING id`,
    );
    const {
      rows: [otherBox],
    } = await pool.query(
      `INSERT INTO mailboxes (account_id, name, special_use, uid_validity) VALUES ($1, 'INBOX', 'inbox', 1) RETURNING id`,
      [other.id],
    );
    let t0 = Date.now();
    // Loaded like a restore: rows first, then the index (the migration's definition).
    await pool.query('DROP INDEX message_text_content_trgm_idx');
    for (const [accountId, mailboxId] of [
      [acct.id, box.id],
      [other.id, otherBox.id],
    ]) {
      for (let start = 1; start <= N; start += 20_000) {
        const end = Math.min(N, start + 19_999);
        await pool.query(
          `WITH g AS (SELECT n FROM generate_series($3::int, $4::int) n),
                b AS (INSERT INTO blobs (account_id, sha256, size, data) SELECT $1, md5(n::text), 1000, 'x' FROM g RETURNING id, sha256),
                bn AS (SELECT b.id, g.n FROM b JOIN g ON md5(g.n::text) = b.sha256),
                t AS (INSERT INTO message_text (account_id, blob_id, header_length, content)
                      SELECT $1, bn.id, 0, lower(
                        'from: user' || (bn.n % 997) || '@example.org' || chr(10) || 'subject: ' || ($5::text[])[1 + (bn.n % 40)] || ' ' || bn.n || chr(10) ||
                        (SELECT string_agg(($5::text[])[1 + floor(random() * cardinality($5::text[]))::int], ' ') FROM generate_series(1, 130 + bn.n % 2 * 0)) ||
                        CASE WHEN bn.n % 10000 = 0 THEN ' zanzibar' ELSE '' END)
                        FROM bn)
           INSERT INTO messages (account_id, mailbox_id, uid, modseq, internal_date, size, blob_id, subject, from_address, thread_id)
           SELECT $1, $2, bn.n, bn.n, now(), 1000, bn.id, 's', 'a@b', bn.n FROM bn`,
          [accountId, mailboxId, start, end, WORDS],
        );
      }
    }
    log(`loaded ${2 * N} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
    await pool.query('CREATE INDEX message_text_content_trgm_idx ON message_text USING gin (account_id, content gin_trgm_ops)');
    await pool.query('ANALYZE');
    const {
      rows: [size],
    } = await pool.query(
      `SELECT pg_size_pretty(pg_relation_size('message_text_content_trgm_idx')) AS idx, pg_size_pretty(pg_total_relation_size('message_text')) AS tbl`,
    );
    log(`index built in ${((Date.now() - t0) / 1000).toFixed(1)} s; index ${size.idx}, table ${size.tbl}`);

    const cases = [
      ['rare word (10 hits)', 'zanzibar'],
      ['inside a word', 'nzib'],
      ['common word', 'orçamento'],
      ['two words', 'favor confirmar'],
      ['no match', 'inexistente'],
      ['2 characters (no trigram)', 'zq'],
    ];
    console.log(`\nSEARCH TEXT over ${N} messages in one mailbox (median of ${REPS}, warm)`);
    console.log('| search | matches | median ms |');
    console.log('|---|---:|---:|');
    for (const [label, value] of cases) {
      const pattern = `%${value.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
      const times = [];
      let hits = 0;
      for (let i = 0; i < REPS + 1; i++) {
        const s = process.hrtime.bigint();
        const { rowCount } = await pool.query(TEXT_QUERY, [acct.id, box.id, pattern]);
        const ms = Number(process.hrtime.bigint() - s) / 1e6;
        if (i > 0) times.push(ms); // the first run warms the cache
        hits = rowCount;
      }
      console.log(`| ${label}: "${value}" | ${hits} | ${median(times).toFixed(1)} |`);
    }
    const { rows: plan } = await pool.query(
      `EXPLAIN ${TEXT_QUERY.replaceAll('$3', "'%zanzibar%'").replaceAll('$1', `${acct.id}::bigint`).replaceAll('$2', `${box.id}::bigint`)}`,
    );
    console.log(`\nplan (rare word):\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);

    // What the text costs the delivery statement: its blob insert alone, with the pending row (what
    // delivery writes), and with a row under the trigram index (what the indexer later moves, paid
    // there instead). One statement, autocommit, as a lone delivery; ~4 KB of text.
    const text = Array.from({ length: 520 }, (_, i) => WORDS[(i * 7919) % WORDS.length]).join(' ');
    const per = async (table) => {
      const times = [];
      for (let i = 0; i < 400; i++) {
        const s = process.hrtime.bigint();
        await pool.query(
          `WITH b AS (INSERT INTO blobs (account_id, sha256, size, data) VALUES ($1, 'x', 4096, $2) RETURNING id)
           INSERT INTO ${table ?? 'message_text_pending'} (account_id, blob_id, header_length, content) SELECT $1, b.id, 0, $3 FROM b WHERE $4`,
          [acct.id, Buffer.from(text), `${text} ${i}`, table !== undefined],
        );
        times.push(Number(process.hrtime.bigint() - s) / 1e3);
      }
      return median(times.slice(50));
    };
    const rounds = [];
    for (let r = 0; r < 3; r++) rounds.push([await per(undefined), await per('message_text_pending'), await per('message_text')]);
    const [none, pending, indexed] = [0, 1, 2].map((k) => median(rounds.map((x) => x[k])));
    console.log(
      `\nstoring one message (blob insert, autocommit; median of 3 × 350): no text ${none.toFixed(0)} µs, ` +
        `pending row (delivery) ${pending.toFixed(0)} µs (+${(pending - none).toFixed(0)}), under the index ${indexed.toFixed(0)} µs (+${(indexed - none).toFixed(0)})`,
    );
  } finally {
    await pool.end();
    if (!args.keep) await cleanup();
    else log(`kept database ${db.name}`);
  }
}

main().catch(async (err) => {
  console.error(err);
  await cleanup().catch(() => {});
  process.exit(1);
});
