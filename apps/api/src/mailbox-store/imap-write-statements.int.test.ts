import { decodeUidBytes } from './repositories/uid-bytes.js';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { type FlagState, applyFlags, flagsOf, parseFlags, sameFlags } from './imap-flags.js';
import { ImapStoreService } from './imap-store.service.js';
import { EXPUNGE_SQL, STORE_ONE_SQL, STORE_SQL } from './repositories/imap-write-statements.js';

// STORE is one SQL statement (repositories/imap-write-statements.ts) that re-implements
// applyFlags/sameFlags (imap-flags.ts, RFC 9051 §6.4.6). This table runs both on the same states
// and requires the same flags, the same changed/unchanged split and one modseq per STORE.

const states: FlagState[] = [
  { seen: false, answered: false, flagged: false, deleted: false, draft: false, keywords: [] },
  { seen: true, answered: false, flagged: true, deleted: false, draft: false, keywords: ['Work'] },
  { seen: true, answered: true, flagged: true, deleted: true, draft: true, keywords: ['$Forwarded', 'work2', 'Zeta'] },
  { seen: false, answered: false, flagged: false, deleted: true, draft: false, keywords: ['WORK', 'b'] },
];
const flagLists: string[][] = [
  [],
  ['\\Seen'],
  ['\\seen', 'work', '\\Recent'],
  ['\\Flagged', '\\Deleted', 'Work', 'WORK', 'New'],
  ['$forwarded', 'zeta', 'b', 'work2'],
  ['\\Answered', '\\Draft', '\\Seen', '\\Flagged', '\\Deleted'],
];
const ops = ['replace', 'add', 'remove'] as const;

describe('STORE as one statement agrees with applyFlags/sameFlags', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  beforeAll(async () => {
    t = await startTestApp();
    imap = t.app.get(ImapStoreService);
  });
  afterAll(() => t?.close());

  it('every state × op × flag list, case-insensitive keywords, first spelling kept', async () => {
    const a = (await t.directory.addAccount({ address: 'ws@correio.test', password: 'password-1' })).id;
    const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    for (let i = 0; i < states.length; i++) {
      const raw = Buffer.from(`From: x@example.org\r\nSubject: s${i}\r\nMessage-ID: <ws${i}@example.org>\r\n\r\nhi\r\n`);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: inbox } }],
        envelopeFrom: 'x@example.org',
      });
    }
    const uids = states.map((_, i) => i + 1);
    for (const op of ops) {
      for (const flags of flagLists) {
        // Reset every row to its state (straight SQL: the thing under test is not used to set up).
        for (let i = 0; i < states.length; i++) {
          const s = states[i]!;
          await t.db.pool.query(
            `UPDATE messages SET seen = $3, answered = $4, flagged = $5, deleted = $6, draft = $7, keywords = $8 WHERE account_id = $1 AND mailbox_id = $2 AND uid = $9`,
            [a, inbox, s.seen, s.answered, s.flagged, s.deleted, s.draft, s.keywords, i + 1],
          );
        }
        const before = (await imap.snapshot(a, inbox)).mailbox.highestModseq;
        const got = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids, op, flags });
        const wanted = parseFlags(flags);
        const expectChanged: [number, string[]][] = [];
        const expectUnchanged: [number, string[]][] = [];
        states.forEach((s, i) => {
          const next = applyFlags(s, op, wanted);
          if (sameFlags(s, next)) expectUnchanged.push([i + 1, flagsOf(s)]);
          else expectChanged.push([i + 1, flagsOf(next)]);
        });
        const label = `${op} (${flags.join(' ')})`;
        expect(
          got.changed.map((c) => [c.uid, c.flags]),
          label,
        ).toEqual(expectChanged);
        expect(
          got.unchanged.map((c) => [c.uid, c.flags]),
          label,
        ).toEqual(expectUnchanged);
        expect(got.modified, label).toEqual([]);
        const after = (await imap.snapshot(a, inbox)).mailbox.highestModseq;
        expect(after, label).toBe(expectChanged.length > 0 ? before + 1n : before);
        for (const c of got.changed) expect(c.modseq, label).toBe(after);
        // What the rows hold is what was reported.
        const rows = await imap.fetchMeta(a, inbox, uids, {
          flags: true,
          internalDate: false,
          size: false,
          envelope: false,
          structure: false,
        });
        for (const [uid, f] of [...expectChanged, ...expectUnchanged]) {
          expect(rows.find((r) => r.uid === uid)?.flags, label).toEqual(f);
        }
      }
    }
  });

  it('one UID at a time (STORE_ONE_SQL): every state × op × flag list as applyFlags/sameFlags', async () => {
    const a = (await t.directory.addAccount({ address: 'ws1@correio.test', password: 'password-1' })).id;
    const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    for (let i = 0; i < states.length; i++) {
      const raw = Buffer.from(`From: x@example.org\r\nSubject: o${i}\r\nMessage-ID: <ws1-${i}@example.org>\r\n\r\nhi\r\n`);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: inbox } }],
        envelopeFrom: 'x@example.org',
      });
    }
    for (const op of ops) {
      for (const flags of flagLists) {
        for (let i = 0; i < states.length; i++) {
          const s = states[i]!;
          const uid = i + 1;
          await t.db.pool.query(
            `UPDATE messages SET seen = $3, answered = $4, flagged = $5, deleted = $6, draft = $7, keywords = $8 WHERE account_id = $1 AND mailbox_id = $2 AND uid = $9`,
            [a, inbox, s.seen, s.answered, s.flagged, s.deleted, s.draft, s.keywords, uid],
          );
          const before = (await imap.snapshot(a, inbox)).mailbox.highestModseq;
          const got = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [uid], op, flags });
          const next = applyFlags(s, op, parseFlags(flags));
          const label = `uid ${uid} ${op} (${flags.join(' ')})`;
          const after = (await imap.snapshot(a, inbox)).mailbox.highestModseq;
          if (sameFlags(s, next)) {
            expect(
              got.unchanged.map((c) => [c.uid, c.flags]),
              label,
            ).toEqual([[uid, flagsOf(s)]]);
            expect(got.changed, label).toEqual([]);
            expect(after, label).toBe(before);
          } else {
            expect(
              got.changed.map((c) => [c.uid, c.flags, c.modseq]),
              label,
            ).toEqual([[uid, flagsOf(next), before + 1n]]);
            expect(after, label).toBe(before + 1n);
          }
        }
      }
    }
    // Only the UID asked for: its neighbours are untouched.
    await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1], op: 'replace', flags: ['Only'] });
    const rows = await imap.fetchMeta(a, inbox, [1, 2, 3, 4], {
      flags: true,
      internalDate: false,
      size: false,
      envelope: false,
      structure: false,
    });
    expect(rows.map((r) => r.flags?.includes('Only'))).toEqual([true, false, false, false]);
  });

  // PostgreSQL's plan cache: a named statement gets five custom plans, then keeps the generic plan
  // (planned without the values) unless that one's estimated cost is above the custom plans' plus
  // their planning. `uid = ANY($3)` makes the generic plan assume 10 UIDs, which on a mailbox of a
  // few hundred messages costs more than re-planning, so STORE of one UID was planned on every
  // execution (~0.35 ms of CPU). STORE_ONE_SQL's generic plan must expect the one row it touches.
  // Real PostgreSQL only: PGlite runs without named statements (DbFeatures.preparedStatements).
  it.skipIf(process.env.DATABASE_URL === undefined)(
    'STORE of one UID: the generic plan expects one row, as the custom plan does',
    async () => {
      const a = (await t.directory.addAccount({ address: 'wsplan@correio.test', password: 'password-1' })).id;
      const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
      const c = await t.db.pool.connect();
      type PlanNode = { 'Relation Name'?: string; Alias?: string; 'Plan Rows': number; Plans?: PlanNode[] };
      // Rows the generic plan expects from its read of the messages to store (alias m, in `cur`).
      const find = (n: PlanNode): PlanNode | undefined =>
        n['Relation Name'] === 'messages' && n.Alias === 'm' ? n : (n.Plans ?? []).map(find).find((x) => x !== undefined);
      const planRows = async (sql: string) => {
        await c.query(`PREPARE test_store_plan AS ${sql}`);
        try {
          await c.query('BEGIN');
          await c.query('SET LOCAL plan_cache_mode = force_generic_plan');
          const { rows } = await c.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            `EXPLAIN (FORMAT JSON) EXECUTE test_store_plan(${BigInt(a)}, ${BigInt(inbox)}, '{7}', 'add', true, false, false, false, false, '{}', NULL)`,
          );
          const scan = find(rows[0]!['QUERY PLAN'][0].Plan);
          // Its conditions (index, recheck or filter, as the plan chose), as text.
          return { rows: scan?.['Plan Rows'], cond: JSON.stringify(scan) };
        } finally {
          await c.query('ROLLBACK');
          await c.query('DEALLOCATE test_store_plan');
        }
      };
      try {
        // One row by the unique key (account_id, mailbox_id, uid), whatever the statistics say. (How many
        // rows the list form's generic plan expects depends on them: 10 UIDs × 1/distinct values of
        // each column, several on a server with one big account, one on the shared test database.)
        const one = await planRows(STORE_ONE_SQL);
        expect(one.rows).toBe(1);
        expect(one.cond).toMatch(/uid = \(\$3\)\[1\]/);
        expect((await planRows(STORE_SQL)).cond).toMatch(/uid = ANY \(\$3\)/);
      } finally {
        c.release();
      }
    },
  );

  it('UNCHANGEDSINCE: rows above it are refused with their old flags untouched, the others change under one modseq', async () => {
    const a = (await t.directory.addAccount({ address: 'ws2@correio.test', password: 'password-1' })).id;
    const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    for (let i = 0; i < 3; i++) {
      const raw = Buffer.from(`From: x@example.org\r\nSubject: u${i}\r\nMessage-ID: <wsu${i}@example.org>\r\n\r\nhi\r\n`);
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: inbox } }],
        envelopeFrom: 'x@example.org',
      });
    }
    const first = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [2], op: 'add', flags: ['Kw'] });
    const m = first.changed[0]!.modseq;
    const got = await imap.storeFlags({
      accountId: a,
      mailboxId: inbox,
      uids: [1, 2, 3],
      op: 'replace',
      flags: ['\\Seen'],
      unchangedSince: m - 1n,
    });
    expect(got.modified).toEqual([2]);
    expect(got.changed.map((c) => [c.uid, c.flags, c.modseq])).toEqual([
      [1, ['\\Seen'], m + 1n],
      [3, ['\\Seen'], m + 1n],
    ]);
    const rows = await imap.fetchMeta(a, inbox, [2], { flags: true, internalDate: false, size: false, envelope: false, structure: false });
    expect(rows[0]?.flags).toEqual(['Kw']);
    expect(rows[0]?.modseq).toBe(m);
  });

  it('STORE and EXPUNGE commit without waiting for the WAL flush, for their own transaction only', async () => {
    const a = (await t.directory.addAccount({ address: 'wsync@correio.test', password: 'password-1' })).id;
    const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    const raw = Buffer.from('From: x@example.org\r\nSubject: sync\r\n\r\nhi\r\n');
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId: a, mailbox: { id: inbox } }],
      envelopeFrom: 'x@example.org',
    });
    const c = await t.db.pool.connect();
    try {
      const setting = async () => (await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit;
      expect(await setting()).toBe('on');
      // Inside a transaction the statement's SET LOCAL is visible until its end...
      await c.query('BEGIN');
      await c.query(STORE_SQL, [a, inbox, [1], 'add', true, false, false, true, false, [], null]);
      expect(await setting()).toBe('off');
      await c.query('COMMIT');
      // ...and gone after it: the connection's next user (an APPEND) waits for its flush.
      expect(await setting()).toBe('on');
      await c.query(STORE_SQL, [a, inbox, [1], 'add', false, false, true, false, false, [], null]);
      expect(await setting()).toBe('on');
      await c.query('BEGIN');
      expect(decodeUidBytes((await c.query(EXPUNGE_SQL, [a, inbox, null])).rows[0].uids)).toEqual([1]);
      expect(await setting()).toBe('off');
      await c.query('ROLLBACK');
      expect(await setting()).toBe('on');
    } finally {
      c.release();
    }
  });
});
