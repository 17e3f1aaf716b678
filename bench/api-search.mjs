#!/usr/bin/env node
// Benchmark of the webmail/REST search (GET /api/v1/messages?q=, issue 12 item 2 / issue 13 item 2):
// the one statement MessageSearchService builds from a parsed query, over a seeded account of
// 100,000 messages (plus another account of as many, so the indexes hold other tenants' rows),
// p50/p95 per query and over all, and the plan (EXPLAIN ANALYZE) of each. Issue 12's target:
// search results p95 < 200 ms.
//
//   npm run build && node bench/api-search.mjs [--messages N] [--reps N] [--plans] [--keep]
//
// Needs PostgreSQL at BENCH_DATABASE_URL / DATABASE_URL / postgresql://postgres@127.0.0.1:5432/postgres.
// The statement is the server's own (apps/api/dist MessageSearchService.statement, @correio/search-query
// parse), run with the parameters it binds; the page is 51 rows (50 + 1 to know whether more exist).
// Data is synthetic: ~1 KB of Portuguese/English words per message, 5 mailboxes (80% INBOX, 10% Sent,
// 5% Archive, 3% Trash, 2% Junk), 3 years of dates, a third unread, 10% with an attachment.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { cleanup, createDatabase, log, median } from './lib/harness.mjs';

const require = createRequire(import.meta.url);
const { migrate } = require('../libs/db/dist/index.js');
const { parseSearchQuery } = require('../libs/search-query/dist/index.js');
const { MessageSearchService } = await import('../apps/api/dist/mailbox-store/search/message-search.service.js');

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '20' },
    plans: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // A database left by --keep: measured again without seeding (its message count is what it was).
    reuse: { type: 'string' },
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

// What people type (Gmail's operators), from cheap to costly.
const QUERIES = [
  '',
  'invoice',
  'zanzibar',
  'nzib',
  '"favor confirmar"',
  'orçamento -is:read',
  'from:user42@example.org',
  'from:user1 OR from:user2 invoice',
  'subject:"relatório 12"',
  'is:unread',
  'is:starred',
  'has:attachment filename:pdf',
  'in:inbox is:unread has:attachment',
  'in:sent deadline',
  'label:work',
  'after:2025/03/01 before:2025/04/01',
  'larger:90K',
  'in:anywhere inexistente',
  'zq',
];

async function seed(pool, accountId, boxes) {
  for (let start = 1; start <= N; start += 20_000) {
    const end = Math.min(N, start + 19_999);
    await pool.query(
      `WITH g AS (SELECT n FROM generate_series($2::int, $3::int) n),
            b AS (INSERT INTO blobs (account_id, sha256, size, data) SELECT $1, md5($7::text || '-' || n::text), 1000, 'x' FROM g RETURNING id, sha256),
            bn AS (SELECT b.id, g.n,
                          (ARRAY['inbox','inbox','inbox','inbox','inbox','inbox','inbox','inbox','sent','archive'])[1 + g.n % 10] AS box0,
                          ($4::text[])[1 + (g.n % 40)] || ' ' || g.n AS subject,
                          'user' || (g.n % 997) || '@example.org' AS sender,
                          (SELECT string_agg(($4::text[])[1 + floor(random() * cardinality($4::text[]))::int], ' ') FROM generate_series(1, 130 + g.n % 2 * 0))
                            || CASE WHEN g.n % 10000 = 0 THEN ' zanzibar' ELSE '' END AS body
                     FROM b JOIN g ON md5($7::text || '-' || g.n::text) = b.sha256),
            bx AS (SELECT bn.*, CASE WHEN bn.n % 100 >= 98 THEN 'junk' WHEN bn.n % 100 >= 95 THEN 'trash' ELSE bn.box0 END AS box,
                          'from: user ' || (bn.n % 997) || ' <' || bn.sender || '>' || chr(10) || 'to: joel@bench.test' || chr(10) ||
                          'subject: ' || bn.subject || chr(10) AS header
                     FROM bn),
            t AS (INSERT INTO message_text (account_id, blob_id, header_length, content)
                  SELECT $1, bx.id, length(lower(bx.header)), lower(bx.header || bx.body) FROM bx)
       INSERT INTO messages (account_id, mailbox_id, uid, modseq, internal_date, size, blob_id, subject, from_name, from_address,
                             to_addresses, snippet, seen, flagged, has_attachments, attachments, keywords, thread_id)
       SELECT $1, ($5::jsonb ->> bx.box)::bigint, bx.n, bx.n,
              timestamptz '2024-01-01' + (bx.n::float8 / $6) * interval '1095 days', 1000 + (bx.n * 7919) % 100000, bx.id,
              bx.subject, 'User ' || (bx.n % 997), bx.sender, '[{"name":"Joel","address":"joel@bench.test"}]', left(bx.body, 120),
              bx.n % 3 <> 0, bx.n % 50 = 0, bx.n % 10 = 0,
              CASE WHEN bx.n % 10 = 0 THEN jsonb_build_array(jsonb_build_object('filename', 'doc' || bx.n || CASE WHEN bx.n % 20 = 0 THEN '.pdf' ELSE '.xlsx' END))
                   ELSE '[]'::jsonb END,
              CASE WHEN bx.n % 25 = 0 THEN ARRAY['Work'] ELSE ARRAY[]::text[] END, bx.n
         FROM bx`,
      [accountId, start, end, WORDS, JSON.stringify(boxes), N, String(accountId)],
    );
  }
}

async function makeAccount(pool, address) {
  const {
    rows: [acct],
  } = await pool.query(`INSERT INTO accounts (domain_id, address, password_hash) SELECT id, $1, 'x' FROM domains LIMIT 1 RETURNING id`, [
    address,
  ]);
  const boxes = {};
  for (const [name, use] of [
    ['INBOX', 'inbox'],
    ['Sent', 'sent'],
    ['Archive', 'archive'],
    ['Trash', 'trash'],
    ['Junk', 'junk'],
  ]) {
    const {
      rows: [b],
    } = await pool.query(`INSERT INTO mailboxes (account_id, name, special_use, uid_validity) VALUES ($1, $2, $3, 1) RETURNING id`, [
      acct.id,
      name,
      use,
    ]);
    boxes[use] = b.id;
  }
  return { id: acct.id, boxes };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  const reuseUrl = args.reuse ? Object.assign(new URL(server), { pathname: `/${args.reuse}` }).toString() : undefined;
  const db = reuseUrl ? { url: reuseUrl, name: args.reuse } : await createDatabase(server);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  try {
    const joel = reuseUrl ? await existingAccount(pool, 'joel@bench.test') : await seedAll(pool);
    await measure(pool, joel);
  } finally {
    await pool.end();
    if (!args.keep && !reuseUrl) await cleanup();
    else log(`kept database ${db.name}`);
  }
}

async function existingAccount(pool, address) {
  const { rows } = await pool.query('SELECT id FROM accounts WHERE address = $1', [address]);
  return { id: rows[0].id };
}

async function seedAll(pool) {
  {
    await migrate(pool);
    await pool.query(`INSERT INTO domains (name) VALUES ('bench.test')`);
    const joel = await makeAccount(pool, 'joel@bench.test');
    const ana = await makeAccount(pool, 'ana@bench.test');
    let t0 = Date.now();
    // Loaded like a restore: rows first, then the trigram index (the migration's definition).
    await pool.query('DROP INDEX message_text_content_trgm_idx');
    await seed(pool, joel.id, joel.boxes);
    await seed(pool, ana.id, ana.boxes);
    log(`loaded ${2 * N} messages in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
    await pool.query('CREATE INDEX message_text_content_trgm_idx ON message_text USING gin (account_id, content gin_trgm_ops)');
    await pool.query('VACUUM ANALYZE');
    log(`index built and analyzed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return joel;
  }
}

async function measure(pool, joel) {
  {
    const service = new MessageSearchService(pool, undefined);
    const statementOf = (q, cursor) => {
      const parsed = parseSearchQuery(q);
      if (!parsed.ok) throw new Error(`${q}: ${parsed.error.message}`);
      return service.statement({ accountId: joel.id, query: parsed.query, limit: 51, cursor });
    };
    // A deep page: the cursor of the 2,000th newest message (keyset: no OFFSET scan).
    const {
      rows: [deep],
    } = await pool.query(
      `SELECT internal_date AS "internalDate", id FROM messages WHERE account_id = $1 ORDER BY internal_date DESC, id DESC OFFSET 2000 LIMIT 1`,
      [joel.id],
    );
    const cases = [
      ...QUERIES.map((q) => ({ label: q === '' ? '(everything, page 1)' : q, q })),
      { label: '(everything, page 41 by cursor)', q: '', cursor: deep },
    ];

    console.log(
      `\nGET /api/v1/messages?q= statement over ${N} messages of one account (+${N} of another); ${REPS} runs each after one warm-up; 51-row page`,
    );
    console.log('| query | hits on page | p50 ms | p95 ms | plan |');
    console.log('|---|---:|---:|---:|---|');
    const all = [];
    const plans = [];
    for (const c of cases) {
      const { sql, params } = statementOf(c.q, c.cursor);
      const times = [];
      let hits = 0;
      for (let i = 0; i <= REPS; i++) {
        const s = process.hrtime.bigint();
        const { rowCount } = await pool.query(sql, params);
        const ms = Number(process.hrtime.bigint() - s) / 1e6;
        if (i > 0) times.push(ms);
        hits = rowCount;
      }
      all.push(...times);
      const { rows: plan } = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      const lines = plan.map((r) => r['QUERY PLAN']);
      const shape = lines
        .map((l) =>
          /(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan|Bitmap Heap Scan) (?:Backward )?(?:using (\S+) )?on (\S+)/.exec(l),
        )
        .filter(Boolean)
        .map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''} on ${m[3]}`);
      plans.push({ label: c.label, lines });
      console.log(
        `| ${c.label} | ${hits} | ${median(times).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${[...new Set(shape)].join('; ')} |`,
      );
    }
    console.log(
      `\nall queries together: p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms (target p95 < 200 ms)`,
    );
    if (args.plans) for (const p of plans) console.log(`\n${p.label}:\n${p.lines.map((l) => `  ${l}`).join('\n')}`);
  }
}

main().catch(async (err) => {
  console.error(err);
  await cleanup().catch(() => {});
  process.exit(1);
});
