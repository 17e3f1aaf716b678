import { decodeUidBytes } from './repositories/uid-bytes.js';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { type FlagState, applyFlags, flagsOf, parseFlags, sameFlags } from './imap-flags.js';
import { ImapStoreService } from './imap-store.service.js';
import { EXPUNGE_SQL, STORE_SQL } from './repositories/imap-write-statements.js';

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
    await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: a, mailbox: { id: inbox } }], envelopeFrom: 'x@example.org' });
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
