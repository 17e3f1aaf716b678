import { MESSAGE_STRUCTURE_VERSION } from '@correio/imap-protocol';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ImapBlobReaper } from './imap-blob-reaper.js';
import { ImapStoreService } from './imap-store.service.js';
import type { MailboxChange } from './mailbox-store.types.js';

// The store as IMAP sees it (ImapStore), checked through the service and against the rows
// PostgreSQL holds: mailbox hierarchy (RFC 9051 §6.3), UIDs and modseqs (invariant 5, RFC 7162),
// COPYUID/APPENDUID (RFC 4315), quota, and the changes published after COMMIT.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
let serial = 0;
function message(headers: Record<string, string> = {}, body = 'hello'): Buffer {
  const all = { From: 'x@example.org', Subject: `m${++serial}`, 'Message-ID': `<i${serial}-${Date.now()}@example.org>`, ...headers };
  return crlf(
    `${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n${body}\n`,
  );
}

async function expectCode(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

describe('IMAP store', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  let changes: MailboxChange[] = [];
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_MAX_MESSAGE_BYTES: String(256 * 1024) });
    imap = t.app.get(ImapStoreService);
    t.app.get(MailEventsService).subscribe((c) => changes.push(c));
  });
  afterAll(() => t?.close());

  async function account(quotaBytes?: bigint): Promise<string> {
    return (await t.directory.addAccount({ address: `i${++seq}@correio.test`, password: 'password-1', quotaBytes })).id;
  }
  async function boxId(a: string, name: string): Promise<string> {
    return (await imap.findMailbox(a, name))!.id;
  }
  async function deliver(a: string, raw: Buffer, mailboxName = 'INBOX') {
    const id = await boxId(a, mailboxName);
    return (
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id } }],
        envelopeFrom: 'x@example.org',
      })
    )[0]!;
  }
  async function count(sql: string, params: unknown[]): Promise<number> {
    return (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  }
  const usedBytes = async (a: string) => Number((await t.directory.getAccount(a))!.usedBytes);

  describe('mailboxes (RFC 9051 §6.3)', () => {
    it('CREATE makes UTF-8 hierarchical names with their parents; a second CREATE is ALREADYEXISTS', async () => {
      const a = await account();
      const made = await imap.createMailbox(a, 'Projetos/Ação/2026/');
      expect(made).toMatchObject({ name: 'Projetos/Ação/2026', uidNext: 1, highestModseq: 1n, subscribed: true, specialUse: null });
      const names = (await imap.listMailboxes(a)).map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['INBOX', 'Projetos', 'Projetos/Ação', 'Projetos/Ação/2026']));
      await expectCode(imap.createMailbox(a, 'Projetos/Ação/2026'), ErrorCode.Conflict);
      await expectCode(imap.createMailbox(a, 'inbox'), ErrorCode.Conflict);
      await expectCode(imap.createMailbox(a, 'a//b'), ErrorCode.InvalidInput);
      await expectCode(imap.createMailbox(a, 'a*'), ErrorCode.InvalidInput);
      expect((await imap.createMailbox(a, 'Old mail', 'archive')).specialUse).toBe('archive');
      // Another account's mailbox is not found (invariant 4).
      expect(await imap.findMailbox(await account(), 'Projetos')).toBeUndefined();
    });

    it('a mailbox deleted and created again at once gets a new UIDVALIDITY (RFC 9051 §2.3.1.1)', async () => {
      const a = await account();
      const seen = new Set<number>();
      for (let i = 0; i < 3; i++) {
        const m = await imap.createMailbox(a, 'Again');
        expect(seen.has(m.uidValidity)).toBe(false);
        seen.add(m.uidValidity);
        await imap.deleteMailbox(a, 'Again');
      }
      const junk = (await imap.findMailbox(a, 'Junk'))!;
      await imap.deleteMailbox(a, 'Junk');
      expect((await imap.createMailbox(a, 'Junk')).uidValidity).not.toBe(junk.uidValidity);
    });

    it('DELETE removes the messages (usage, blobs and search text released), keeps children, refuses INBOX', async () => {
      const a = await account();
      await imap.createMailbox(a, 'Work/Old');
      await deliver(a, message({}, 'x'.repeat(1000)), 'Work');
      await deliver(a, message(), 'Work');
      const shared = await deliver(a, message(), 'INBOX');
      await imap.copyMessages(a, await boxId(a, 'INBOX'), [shared.uid], await boxId(a, 'Work'));
      const work = await boxId(a, 'Work');
      changes = [];
      await imap.deleteMailbox(a, 'Work');
      expect(await imap.findMailbox(a, 'Work')).toBeUndefined();
      expect(await imap.findMailbox(a, 'Work/Old')).toBeDefined();
      expect(changes).toEqual([expect.objectContaining({ mailboxId: work, kind: 'expunge', uids: [1, 2, 3] })]);
      // Only INBOX's message is left: its size is the usage, its blob (shared with the deleted copy) and text stay.
      expect(await usedBytes(a)).toBe((await imap.statusMailboxes(a, [await boxId(a, 'INBOX')], ['SIZE']))[0]!.size);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(1);
      // (The search text is in message_text or, until the indexer moves it, message_text_pending.)
      expect(
        (await count('message_text WHERE account_id = $1', [a])) + (await count('message_text_pending WHERE account_id = $1', [a])),
      ).toBe(1);
      await expectCode(imap.deleteMailbox(a, 'INBOX'), ErrorCode.Forbidden);
      // The mailboxes sent mail and drafts are filed in stay while they are the only ones.
      await expectCode(imap.deleteMailbox(a, 'Sent'), ErrorCode.Forbidden);
      await expectCode(imap.deleteMailbox(a, 'Drafts'), ErrorCode.Forbidden);
      await imap.createMailbox(a, 'Sent Items', 'sent');
      await imap.deleteMailbox(a, 'Sent');
      expect(await imap.findMailbox(a, 'Sent')).toBeUndefined();
      await expectCode(imap.deleteMailbox(a, 'Nope'), ErrorCode.NotFound);
    });

    it('DELETE while deliveries, copies and flag changes go on: the books still balance', async () => {
      const a = await account();
      await imap.createMailbox(a, 'Busy');
      const busy = await boxId(a, 'Busy');
      const inbox = await boxId(a, 'INBOX');
      for (let i = 0; i < 5; i++) await deliver(a, message(), 'Busy');
      await deliver(a, message());
      // Writers that may target a deletable mailbox (APPEND, COPY) run in transactions that roll back
      // when it is gone. (An autocommitted delivery statement could keep its usage charge if its
      // mailbox vanished between its two steps: only INBOX, which cannot be deleted, is targeted so.)
      const work = [
        ...Array.from({ length: 10 }, () => imap.append(a, busy, message(), [])),
        imap.copyMessages(a, inbox, [1], busy),
        imap.storeFlags({ accountId: a, mailboxId: busy, uids: [1, 2, 3], op: 'add', flags: ['\\Seen'] }),
        imap.deleteMailbox(a, 'Busy'),
        ...Array.from({ length: 10 }, () => imap.append(a, busy, message(), [])),
      ];
      const outcomes = await Promise.allSettled(work);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as AppError).code).toBe(ErrorCode.NotFound);
      expect(await imap.findMailbox(a, 'Busy')).toBeUndefined();
      const { rows } = await t.db.pool.query<{ n: number; bytes: number; blobs: number }>(
        'SELECT count(*)::int AS n, COALESCE(sum(size), 0)::int AS bytes, count(DISTINCT blob_id)::int AS blobs FROM messages WHERE account_id = $1',
        [a],
      );
      expect(rows[0]!.n).toBe(1);
      expect(await usedBytes(a)).toBe(rows[0]!.bytes);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(rows[0]!.blobs);
      expect(await count('messages WHERE account_id = $1 AND mailbox_id = $2', [a, busy])).toBe(0);
    });

    it('RENAME moves the children and keeps UIDVALIDITY and UIDs', async () => {
      const a = await account();
      await imap.createMailbox(a, 'A/B/C');
      await imap.createMailbox(a, 'AB');
      const before = (await imap.findMailbox(a, 'A/B'))!;
      const d = await deliver(a, message(), 'A/B');
      await imap.renameMailbox(a, 'A', 'Z/Y');
      const names = (await imap.listMailboxes(a)).map((m) => m.name);
      expect(names).toEqual(expect.arrayContaining(['Z', 'Z/Y', 'Z/Y/B', 'Z/Y/B/C', 'AB']));
      expect(names).not.toContain('A/B');
      const after = (await imap.findMailbox(a, 'Z/Y/B'))!;
      expect(after).toMatchObject({ id: before.id, uidValidity: before.uidValidity });
      expect(Array.from((await imap.snapshot(a, after.id)).uids)).toEqual([d.uid]);
      await expectCode(imap.renameMailbox(a, 'Z', 'Z/Y/inner'), ErrorCode.Forbidden);
      await expectCode(imap.renameMailbox(a, 'AB', 'Z/Y'), ErrorCode.Conflict);
      await expectCode(imap.renameMailbox(a, 'Missing', 'Elsewhere'), ErrorCode.NotFound);
    });

    it('RENAME INBOX moves its messages into a new mailbox; INBOX stays, empty (RFC 9051 §6.3.10)', async () => {
      const a = await account();
      const inbox = (await imap.findMailbox(a, 'INBOX'))!;
      // APPEND's target for INBOX is remembered (findAppendTarget): it must stay right across the rename.
      expect(await imap.findAppendTarget(a, 'inbox')).toEqual({ id: inbox.id, name: 'INBOX', uidValidity: inbox.uidValidity });
      await deliver(a, message());
      await deliver(a, message());
      changes = [];
      await imap.renameMailbox(a, 'INBOX', 'Old INBOX');
      expect(await imap.findAppendTarget(a, 'INBOX')).toEqual(await imap.findAppendTarget(a, 'INBOX'));
      expect((await imap.findAppendTarget(a, 'INBOX'))?.id).toBe((await imap.findMailbox(a, 'INBOX'))!.id);
      expect((await imap.findAppendTarget(a, 'Old INBOX'))?.id).not.toBe(inbox.id);
      const moved = (await imap.findMailbox(a, 'Old INBOX'))!;
      expect(moved.id).not.toBe(inbox.id);
      expect(Array.from((await imap.snapshot(a, moved.id)).uids)).toEqual([1, 2]);
      const now = await imap.snapshot(a, inbox.id);
      expect(now.uids.length).toBe(0);
      expect(now.mailbox).toMatchObject({ uidValidity: inbox.uidValidity, uidNext: 3 });
      expect((await imap.changesSince(a, inbox.id, 0n)).vanished).toEqual([1, 2]);
      expect(changes.map((c) => c.kind).sort()).toEqual(['exists', 'expunge']);
    });

    it('SUBSCRIBE/UNSUBSCRIBE and STATUS counts (messages, unseen, deleted, size)', async () => {
      const a = await account();
      await imap.setSubscribed(a, 'Junk', false);
      expect((await imap.findMailbox(a, 'Junk'))!.subscribed).toBe(false);
      await expectCode(imap.setSubscribed(a, 'Nope', true), ErrorCode.NotFound);
      const inbox = await boxId(a, 'INBOX');
      const m1 = message();
      const m2 = message();
      await deliver(a, m1);
      await imap.append(a, inbox, m2, ['\\Seen', '\\Deleted']);
      const [s] = await imap.statusMailboxes(a, [inbox, '99999999', 'x'], ['MESSAGES', 'UNSEEN', 'DELETED', 'SIZE']);
      expect(s).toMatchObject({ messages: 2, unseen: 1, deleted: 1, size: m1.length + m2.length, uidNext: 3 });
      expect(await imap.statusMailboxes(await account(), [inbox], ['MESSAGES'])).toEqual([]);
    });
  });

  describe('selected state', () => {
    it('snapshot: ascending UIDs, unseen count, first unseen sequence number, keywords in use', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      await imap.append(a, inbox, message(), ['\\Seen']);
      await imap.append(a, inbox, message(), ['\\Seen', '$Forwarded']);
      await imap.append(a, inbox, message(), ['Work']);
      await imap.append(a, inbox, message(), []);
      const s = await imap.snapshot(a, inbox);
      expect(Array.from(s.uids)).toEqual([1, 2, 3, 4]);
      expect(s).toMatchObject({ unseenCount: 2, firstUnseenSeq: 3 });
      expect(s.keywords.sort()).toEqual(['$Forwarded', 'Work']);
      expect(s.mailbox).toMatchObject({ uidNext: 5, highestModseq: 5n });
      await expectCode(imap.snapshot(await account(), inbox), ErrorCode.NotFound);
    });

    it('APPEND: flags, keywords and internal date kept, APPENDUID, OVERQUOTA and TOOBIG', async () => {
      const a = await account(4000n);
      const inbox = await boxId(a, 'INBOX');
      const date = new Date('2025-03-04T05:06:07Z');
      changes = [];
      const r = await imap.append(a, inbox, message(), ['\\Flagged', '\\Answered', 'Todo'], date);
      expect(r).toEqual({ uidValidity: (await imap.findMailbox(a, 'INBOX'))!.uidValidity, uid: 1 });
      const [meta] = await imap.fetchMeta(a, inbox, [1], {
        flags: true,
        internalDate: true,
        size: true,
        envelope: false,
        structure: false,
      });
      expect(meta!.flags!.sort()).toEqual(['Todo', '\\Answered', '\\Flagged']);
      expect(meta!.internalDate).toEqual(date);
      expect(changes).toEqual([expect.objectContaining({ mailboxId: inbox, kind: 'exists', uids: [1] })]);
      await expectCode(imap.append(a, inbox, message({}, 'y'.repeat(5000)), []), ErrorCode.OverQuota);
      await expectCode(imap.append(a, inbox, message({}, 'z'.repeat(300 * 1024)), []), ErrorCode.TooLarge);
      expect(await count('messages WHERE account_id = $1', [a])).toBe(1);
    });

    it('MULTIAPPEND stores all the messages or none (RFC 3502)', async () => {
      const a = await account(3000n);
      const inbox = await boxId(a, 'INBOX');
      const r = await imap.appendMany(a, inbox, [
        { raw: message(), flags: ['\\Seen'] },
        { raw: message(), flags: ['Later'], internalDate: new Date('2024-01-02T03:04:05Z') },
      ]);
      expect(r.uids).toEqual([1, 2]);
      const metas = await imap.fetchMeta(a, inbox, r.uids, {
        flags: true,
        internalDate: true,
        size: false,
        envelope: false,
        structure: false,
      });
      expect(metas.map((m) => m.flags)).toEqual([['\\Seen'], ['Later']]);
      expect(metas[1]!.internalDate).toEqual(new Date('2024-01-02T03:04:05Z'));
      // The second would pass the quota: neither is stored.
      await expectCode(
        imap.appendMany(a, inbox, [
          { raw: message(), flags: [] },
          { raw: message({}, 'q'.repeat(3000)), flags: [] },
        ]),
        ErrorCode.OverQuota,
      );
      expect(Array.from((await imap.snapshot(a, inbox)).uids)).toEqual([1, 2]);
    });

    it('STORE: +FLAGS, -FLAGS, FLAGS; one new modseq; UNCHANGEDSINCE reports MODIFIED (RFC 7162 §3.1.3)', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      for (let i = 0; i < 3; i++) await deliver(a, message());
      changes = [];
      const add = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1, 2], op: 'add', flags: ['\\Seen', 'Work'] });
      expect(add.changed.map((c) => [c.uid, c.modseq, c.flags])).toEqual([
        [1, 5n, ['\\Seen', 'Work']],
        [2, 5n, ['\\Seen', 'Work']],
      ]);
      expect(changes).toEqual([{ accountId: a, mailboxId: inbox, kind: 'flags', uids: [1, 2], modseq: '5' }]);
      const again = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1], op: 'add', flags: ['\\SEEN', 'work'] });
      expect(again).toEqual({ changed: [], unchanged: [{ uid: 1, modseq: 5n, flags: ['\\Seen', 'Work'] }], modified: [] });
      const cond = await imap.storeFlags({
        accountId: a,
        mailboxId: inbox,
        uids: [1, 2, 3],
        op: 'remove',
        flags: ['Work'],
        unchangedSince: 4n,
      });
      expect(cond.modified).toEqual([1, 2]);
      expect(cond.unchanged.map((u) => u.uid)).toEqual([3]);
      const rep = await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [2, 3], op: 'replace', flags: ['\\Flagged'] });
      expect(rep.changed.map((c) => [c.uid, c.flags])).toEqual([
        [2, ['\\Flagged']],
        [3, ['\\Flagged']],
      ]);
      expect((await imap.snapshot(a, inbox)).mailbox.highestModseq).toBe(6n);
      const since = await imap.changesSince(a, inbox, 5n);
      expect(since.changed.map((c) => c.uid)).toEqual([2, 3]);
      // The webmail's view of the same row agrees (one store).
      const rows = await t.store.listMessages(a, inbox, 10);
      expect(rows.find((r) => r.uid === 1)).toMatchObject({ seen: true, keywords: ['Work'] });
    });

    it('COPY: COPYUID in source order, flags kept, usage charged; MOVE: tombstones in the source', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      const archive = await boxId(a, 'Archive');
      const m = [message(), message(), message()];
      for (const raw of m) await deliver(a, raw);
      await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [3], op: 'add', flags: ['\\Flagged', 'Keep'] });
      const used = await usedBytes(a);
      const copy = await imap.copyMessages(a, inbox, [3, 1, 99], archive);
      expect(copy).toEqual({
        uidValidity: (await imap.findMailbox(a, 'Archive'))!.uidValidity,
        sourceUids: [1, 3],
        destinationUids: [1, 2],
      });
      expect(await usedBytes(a)).toBe(used + m[0]!.length + m[2]!.length);
      const [c2] = await imap.fetchMeta(a, archive, [2], {
        flags: true,
        internalDate: false,
        size: false,
        envelope: false,
        structure: false,
      });
      expect(c2!.flags).toEqual(['\\Flagged', 'Keep']);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(3);
      changes = [];
      const move = await imap.moveMessages(a, inbox, [2, 3], archive);
      expect(move.sourceUids).toEqual([2, 3]);
      expect(move.destinationUids).toEqual([3, 4]);
      expect(Array.from((await imap.snapshot(a, inbox)).uids)).toEqual([1]);
      expect(Array.from((await imap.snapshot(a, archive)).uids)).toEqual([1, 2, 3, 4]);
      expect(changes.map((c) => [c.mailboxId, c.kind, c.uids])).toEqual([
        [inbox, 'expunge', [2, 3]],
        [archive, 'exists', [3, 4]],
      ]);
      const gone = await imap.changesSince(a, inbox, 0n);
      expect(gone.vanished).toEqual([2, 3]);
      await expectCode(imap.copyMessages(a, inbox, [1], '987654321'), ErrorCode.NotFound);
      const quotaAccount = await account(BigInt(m[0]!.length + 10));
      await deliver(quotaAccount, m[0]!);
      await expectCode(
        imap.copyMessages(quotaAccount, await boxId(quotaAccount, 'INBOX'), [1], await boxId(quotaAccount, 'Archive')),
        ErrorCode.OverQuota,
      );
    });

    it('EXPUNGE removes only \\Deleted messages (UID EXPUNGE: only those listed), with tombstones', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      for (let i = 0; i < 4; i++) await deliver(a, message());
      await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1, 2, 4], op: 'add', flags: ['\\Deleted'] });
      const first = await imap.expunge(a, inbox, [2, 3]);
      expect(first.uids).toEqual([2]);
      const rest = await imap.expunge(a, inbox);
      expect(rest.uids).toEqual([1, 4]);
      expect(rest.modseq).toBeGreaterThan(first.modseq);
      expect(Array.from((await imap.snapshot(a, inbox)).uids)).toEqual([3]);
      expect((await imap.changesSince(a, inbox, first.modseq - 1n)).vanished).toEqual([1, 2, 4]);
      expect((await imap.expunge(a, inbox)).uids).toEqual([]);
      // The blobs go a moment later, through the reaper (imap-blob-reaper.ts).
      await t.app.get(ImapBlobReaper).reapAll();
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(1);
      expect(await usedBytes(a)).toBe((await imap.quota(a)).usedBytes);
      expect((await imap.quota(a)).messages).toBe(1);
    });

    it('mailboxState: UIDNEXT, HIGHESTMODSEQ and the count move with every kind of change, without the bus', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      const s0 = (await imap.mailboxState(a, inbox))!;
      expect(s0.exists).toBe(0);
      await deliver(a, message());
      await deliver(a, message());
      const s1 = (await imap.mailboxState(a, inbox))!;
      expect(s1).toEqual({ uidNext: s0.uidNext + 2, highestModseq: s1.highestModseq, exists: 2 });
      expect(s1.highestModseq).toBeGreaterThan(s0.highestModseq);
      // A flag change: only the modseq moves.
      await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1], op: 'add', flags: ['\\Deleted'] });
      const s2 = (await imap.mailboxState(a, inbox))!;
      expect([s2.uidNext, s2.exists]).toEqual([s1.uidNext, 2]);
      expect(s2.highestModseq).toBeGreaterThan(s1.highestModseq);
      // An expunge: the modseq moves and the count drops; what changed is what changesSince gives.
      await imap.expunge(a, inbox);
      const s3 = (await imap.mailboxState(a, inbox))!;
      expect(s3.exists).toBe(1);
      expect(s3.highestModseq).toBeGreaterThan(s2.highestModseq);
      expect((await imap.changesSince(a, inbox, s2.highestModseq)).vanished).toEqual([1]);
      // Another account's mailbox, a bad id and a deleted mailbox are undefined.
      expect(await imap.mailboxState(await account(), inbox)).toBeUndefined();
      expect(await imap.mailboxState(a, 'x')).toBeUndefined();
      const tmp = (await imap.createMailbox(a, 'Tmp')).id;
      await imap.deleteMailbox(a, 'Tmp');
      expect(await imap.mailboxState(a, tmp)).toBeUndefined();
    });

    it('changesSince reads changed flags and tombstones in one statement (one snapshot, RFC 7162 §3.2.5)', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      for (let i = 0; i < 3; i++) await deliver(a, message());
      const before = (await imap.mailboxState(a, inbox))!.highestModseq;
      await imap.storeFlags({ accountId: a, mailboxId: inbox, uids: [1, 3], op: 'add', flags: ['\\Deleted', '$Todo'] });
      await imap.expunge(a, inbox, [1]);
      const pool = t.app.get<Pool>(PG_POOL);
      const statements: string[] = [];
      const query = pool.query.bind(pool);
      pool.query = ((...args: Parameters<Pool['query']>) => {
        statements.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
        return query(...args);
      }) as Pool['query'];
      let got: Awaited<ReturnType<typeof imap.changesSince>>;
      try {
        got = await imap.changesSince(a, inbox, before);
      } finally {
        pool.query = query;
      }
      expect(statements).toHaveLength(1);
      expect(got.vanished).toEqual([1]);
      expect(got.changed.map((c) => [c.uid, c.flags])).toEqual([[3, ['\\Deleted', '$Todo']]]);
    });

    it('fetchMeta reads what is asked; the structure is computed once and kept', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      const raw = message({ Subject: 'Structure', To: 'Joel <joel@ifsc.edu>' }, 'body text');
      const d = await deliver(a, raw);
      const bare = await imap.fetchMeta(a, inbox, [d.uid], {
        flags: false,
        internalDate: false,
        size: false,
        envelope: false,
        structure: false,
      });
      expect(bare).toEqual([{ uid: d.uid, modseq: BigInt(d.modseq), blobId: expect.any(String) }]);
      const [full] = await imap.fetchMeta(a, inbox, [d.uid], {
        flags: true,
        internalDate: true,
        size: true,
        envelope: true,
        structure: true,
      });
      expect(full!.size).toBe(raw.length);
      expect(full!.envelope).toMatchObject({ subject: 'Structure' });
      expect(full!.structure!.body).toMatchObject({ type: 'text', subtype: 'plain' });
      expect(await count('message_structures WHERE account_id = $1', [a])).toBe(1);
      // Kept, not recomputed: what is stored is what comes back.
      await t.db.pool.query(
        `UPDATE message_structures SET structure = jsonb_set(structure, '{envelope,subject}', '"kept"') WHERE account_id = $1`,
        [a],
      );
      const [env] = await imap.fetchMeta(a, inbox, [d.uid], {
        flags: false,
        internalDate: false,
        size: false,
        envelope: true,
        structure: false,
      });
      expect(env!.envelope!.subject).toBe('kept');
      expect(env!.structure).toBeUndefined();
      // Kept with an older version of the shape: computed again.
      await t.db.pool.query('UPDATE message_structures SET version = version - 1 WHERE account_id = $1', [a]);
      const [again] = await imap.fetchMeta(a, inbox, [d.uid], {
        flags: false,
        internalDate: false,
        size: false,
        envelope: true,
        structure: false,
      });
      expect(again!.envelope!.subject).toBe('Structure');
      expect(await count('message_structures WHERE account_id = $1 AND version = $2', [a, MESSAGE_STRUCTURE_VERSION])).toBe(1);
    });

    it('readBytes streams any range in bounded chunks', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      const body = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join('\n');
      const raw = message({}, body);
      const d = await deliver(a, raw);
      const [meta] = await imap.fetchMeta(a, inbox, [d.uid], {
        flags: false,
        internalDate: false,
        size: false,
        envelope: false,
        structure: false,
      });
      const read = async (start: number, end: number, chunk?: number) => {
        const parts: Buffer[] = [];
        for await (const c of imap.readBytes(a, meta!.blobId, start, end, chunk)) parts.push(c);
        return parts;
      };
      const chunks = await read(0, raw.length, 4096);
      expect(chunks.every((c) => c.length <= 4096)).toBe(true);
      expect(chunks.length).toBe(Math.ceil(raw.length / 4096));
      expect(Buffer.concat(chunks).equals(raw)).toBe(true);
      expect(Buffer.concat(await read(100, 5000, 1000)).equals(raw.subarray(100, 5000))).toBe(true);
      expect(Buffer.concat(await read(raw.length - 10, raw.length + 100)).equals(raw.subarray(raw.length - 10))).toBe(true);
      // Another account's blob is not found (invariant 4).
      const other = await account();
      const foreign = (async () => {
        for await (const _ of imap.readBytes(other, meta!.blobId, 0, 10)) return;
      })();
      await expect(foreign).rejects.toMatchObject({ code: ErrorCode.NotFound });
    });

    it('structures of many messages are computed in one batch; readMessages reads small messages whole at once', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      const raws = [message({ Subject: 'one' }), message({ Subject: 'two' }, 'x'.repeat(5000)), message({ Subject: 'three' })];
      for (const raw of raws) await deliver(a, raw);
      const metas = await imap.fetchMeta(a, inbox, [1, 2, 3], {
        flags: false,
        internalDate: false,
        size: false,
        envelope: true,
        structure: false,
      });
      expect(metas.map((m) => m.envelope!.subject)).toEqual(['one', 'two', 'three']);
      expect(await count('message_structures WHERE account_id = $1', [a])).toBe(3);
      const ids = metas.map((m) => m.blobId);
      const all = await imap.readMessages(a, ids);
      expect(ids.map((id) => all.get(id)!.equals(raws[ids.indexOf(id)]!))).toEqual([true, true, true]);
      // Past maxEach: left for readBytes; past maxTotal: as many as fit.
      expect([...(await imap.readMessages(a, ids, { maxEach: 1000 })).keys()].sort()).toEqual([ids[0], ids[2]].sort());
      expect((await imap.readMessages(a, ids, { maxTotal: raws[0]!.length + raws[2]!.length })).size).toBe(2);
      expect((await imap.readMessages(await account(), ids)).size).toBe(0);
    });

    it('sortFields gives the RFC 5256 inputs', async () => {
      const a = await account();
      const inbox = await boxId(a, 'INBOX');
      await deliver(
        a,
        message({
          Subject: 'Re: Plans',
          To: 'Ana <ana@x.org>',
          Cc: 'bob@y.org',
          Date: 'Tue, 2 Dec 2025 10:00:00 +0000',
          'In-Reply-To': '<p@x>',
        }),
      );
      const [f] = await imap.sortFields(a, inbox, [1]);
      expect(f).toMatchObject({
        uid: 1,
        subject: 'Re: Plans',
        fromAddress: 'x@example.org',
        toAddress: 'ana@x.org',
        toName: 'Ana',
        ccAddress: 'bob@y.org',
        inReplyTo: '<p@x>',
      });
      expect(f!.sentDate).toEqual(new Date('2025-12-02T10:00:00Z'));
    });
  });
});
