import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../common/app-error.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import type { DeliveryTarget, MailboxChange, MailboxRow } from './mailbox-store.types.js';

// The store's IMAP-readiness (DESIGN invariant 5), quota and atomicity (invariants 1 and 2), checked
// through the service and against the rows PostgreSQL actually holds.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
let serial = 0;
function message(headers: Record<string, string> = {}, body = 'hello'): Buffer {
  const all = { From: 'x@example.org', Subject: `m${++serial}`, 'Message-ID': `<s${serial}-${Date.now()}@example.org>`, ...headers };
  return crlf(
    `${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n\n${body}\n`,
  );
}

describe('mail store', () => {
  let t: TestApp;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  async function account(quotaBytes?: bigint): Promise<string> {
    return (await t.directory.addAccount({ address: `u${++seq}@correio.test`, password: 'password-1', quotaBytes })).id;
  }

  async function box(accountId: string, use: MailboxRow['specialUse']): Promise<MailboxRow> {
    return (await t.store.listMailboxes(accountId)).find((m) => m.specialUse === use)!;
  }

  async function deliver(raw: Buffer, targets: DeliveryTarget[]) {
    return t.store.deliver({ raw, summary: await summarizeMessage(raw), targets, envelopeFrom: 'x@example.org' });
  }

  const inboxOf = (accountId: string): DeliveryTarget => ({ accountId, mailbox: { specialUse: 'inbox' } });

  async function tombstones(accountId: string, mailboxId: string): Promise<{ uid: number; modseq: string }[]> {
    const { rows } = await t.db.pool.query<{ uid: number; modseq: string }>(
      'SELECT uid, modseq FROM expunged WHERE account_id = $1 AND mailbox_id = $2 ORDER BY uid',
      [accountId, mailboxId],
    );
    return rows;
  }

  async function usedBytes(accountId: string): Promise<number> {
    return Number((await t.directory.getAccount(accountId))!.usedBytes);
  }

  async function count(sql: string, params: unknown[]): Promise<number> {
    return (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  }

  describe('UIDs (RFC 9051 §2.3.1.1)', () => {
    it('every new mailbox has a UIDVALIDITY, UIDNEXT 1 and HIGHESTMODSEQ 1', async () => {
      const a = await account();
      const boxes = await t.store.listMailboxes(a);
      expect(boxes).toHaveLength(6);
      for (const b of boxes) {
        expect(b.uidValidity).toBeGreaterThan(0);
        expect(b).toMatchObject({ uidNext: 1, highestModseq: '1', total: 0, unread: 0 });
      }
    });

    it('an account removed and added again at once gets new UIDVALIDITY values (clients must not reuse their cache)', async () => {
      const address = `again${++seq}@correio.test`;
      const first = await t.directory.addAccount({ address, password: 'password-1' });
      const before = (await t.store.listMailboxes(first.id)).map((b) => b.uidValidity);
      await t.directory.removeAccount(address);
      const second = await t.directory.addAccount({ address, password: 'password-1' });
      const after = (await t.store.listMailboxes(second.id)).map((b) => b.uidValidity);
      for (const v of after) expect(before).not.toContain(v);
      expect(new Set([...before, ...after]).size).toBe(before.length + after.length);
    });

    it('are strictly increasing per mailbox and never reused after an expunge', async () => {
      const a = await account();
      const uids: number[] = [];
      for (let i = 0; i < 3; i++) uids.push((await deliver(message(), [inboxOf(a)]))[0]!.uid);
      expect(uids).toEqual([1, 2, 3]);
      const inbox = await box(a, 'inbox');
      const [last] = await t.store.listMessages(a, inbox.id, 1);
      expect(last!.uid).toBe(3);
      await t.store.expunge(a, last!.id);
      expect((await box(a, 'inbox')).uidNext).toBe(4);
      expect((await deliver(message(), [inboxOf(a)]))[0]!.uid).toBe(4);
      // Each mailbox counts on its own.
      const archive = await box(a, 'archive');
      expect((await deliver(message(), [{ accountId: a, mailbox: { id: archive.id } }]))[0]!.uid).toBe(1);
    });

    it('stores the flags and keywords a target carries (a mail rule\'s star and label), single and grouped', async () => {
      const a = await account();
      const [one] = await deliver(message(), [{ ...inboxOf(a), flagged: true, keywords: ['$label1', 'Work'] }]);
      const [plain, two] = await deliver(message(), [inboxOf(a), { accountId: a, mailbox: { id: (await box(a, 'archive')).id }, seen: true, keywords: ['Later'] }]);
      const row = async (id: string) =>
        (await t.db.pool.query<{ flagged: boolean; seen: boolean; keywords: string[] }>('SELECT flagged, seen, keywords FROM messages WHERE account_id = $1 AND id = $2', [a, id])).rows[0];
      expect(await row(one!.messageId)).toEqual({ flagged: true, seen: false, keywords: ['$label1', 'Work'] });
      const byMailbox = new Map([plain!, two!].map((c) => [c.mailboxId, c.messageId]));
      expect(await row(byMailbox.get((await box(a, 'archive')).id)!)).toEqual({ flagged: false, seen: true, keywords: ['Later'] });
      expect(await row(byMailbox.get((await box(a, 'inbox')).id)!)).toEqual({ flagged: false, seen: false, keywords: [] });
    });

    it('a message moved out and back gets a new UID each time', async () => {
      const a = await account();
      const [c] = await deliver(message(), [inboxOf(a)]);
      const archive = await box(a, 'archive');
      const inbox = await box(a, 'inbox');
      expect((await t.store.move(a, c!.messageId, archive.id)).uid).toBe(1);
      const back = await t.store.move(a, c!.messageId, inbox.id);
      expect(back.uid).toBe(2);
      expect(back.mailboxId).toBe(inbox.id);
      expect((await box(a, 'inbox')).uidNext).toBe(3);
    });

    it('30 concurrent deliveries to one mailbox get 30 distinct, consecutive UIDs', async () => {
      const a = await account();
      await deliver(message(), [inboxOf(a)]); // uid 1
      const before = await box(a, 'inbox');
      const copies = await Promise.all(Array.from({ length: 30 }, () => deliver(message(), [inboxOf(a)])));
      const uids = copies.map((c) => c[0]!.uid).sort((x, y) => x - y);
      expect(uids).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
      const after = await box(a, 'inbox');
      expect(after.uidNext).toBe(32);
      expect(after.total).toBe(31);
      expect(BigInt(after.highestModseq) - BigInt(before.highestModseq)).toBe(30n);
      const modseqs = new Set(copies.map((c) => c[0]!.modseq));
      expect(modseqs.size).toBe(30);
      // The UID order is the commit order: a higher UID never has a lower modseq.
      const byUid = copies.map((c) => c[0]!).sort((x, y) => x.uid - y.uid);
      for (let i = 1; i < byUid.length; i++) expect(BigInt(byUid[i]!.modseq)).toBeGreaterThan(BigInt(byUid[i - 1]!.modseq));
    });
  });

  describe('concurrent writers', () => {
    // Real PostgreSQL runs these transactions truly in parallel: without one lock order (store service
    // header) deliver/expunge/move deadlock and PostgreSQL aborts some of them.
    // On PGlite the pool has one connection (pglite-socket 0.2.17 interleaves concurrent
    // connections' Parse/Bind/Execute: see open-database.ts), so the same work runs serialized and
    // must give the same books.
    it(
      'deliveries, moves, flag changes and expunges on one account at once all succeed and keep the books',
      async () => {
        const a = await account();
        const b = await account();
        const inbox = (await box(a, 'inbox')).id;
        const archive = (await box(a, 'archive')).id;
        const ids: string[] = [];
        for (let i = 0; i < 24; i++) {
          ids.push((await deliver(message(), [{ accountId: a, mailbox: { id: i % 2 ? inbox : archive } }]))[0]!.messageId);
        }
        const ops = ids.map((id, i) => {
          switch (i % 4) {
            case 0:
              return t.store.expunge(a, id);
            case 1:
              return t.store.move(a, id, i % 8 === 1 ? archive : inbox);
            case 2:
              return t.store.updateFlags(a, id, { seen: true, flagged: true });
            default: // a new message to both of a's mailboxes, in descending id order, and to b
              return deliver(message(), [inboxOf(b), { accountId: a, mailbox: { id: archive } }, { accountId: a, mailbox: { id: inbox } }]);
          }
        });
        const failures = (await Promise.allSettled(ops))
          .filter((r) => r.status === 'rejected')
          .map((r) => String((r as PromiseRejectedResult).reason));
        expect(failures).toEqual([]);

        // 24 delivered - 6 expunged + 6 × 2 new copies.
        const { rows } = await t.db.pool.query<{ mailbox_id: string; uid: number; modseq: string; size: number }>(
          'SELECT mailbox_id, uid, modseq, size FROM messages WHERE account_id = $1',
          [a],
        );
        expect(rows).toHaveLength(30);
        expect(await usedBytes(a)).toBe(rows.reduce((n, r) => n + r.size, 0));
        for (const m of [inbox, archive]) {
          const mb = await box(a, m === inbox ? 'inbox' : 'archive');
          const inBox = rows.filter((r) => r.mailbox_id === m);
          const gone = await tombstones(a, m);
          expect(new Set([...inBox.map((r) => r.uid), ...gone.map((g) => g.uid)]).size).toBe(inBox.length + gone.length);
          expect(Math.max(...inBox.map((r) => r.uid), ...gone.map((g) => g.uid))).toBeLessThan(mb.uidNext);
          const top = [...inBox.map((r) => BigInt(r.modseq)), ...gone.map((g) => BigInt(g.modseq))].reduce((x, y) => (y > x ? y : x), 0n);
          expect(BigInt(mb.highestModseq)).toBe(top);
        }
      },
    );
  });

  describe('mod-sequences and tombstones (RFC 7162)', () => {
    it('every flag change raises the message modseq and the mailbox HIGHESTMODSEQ; a no-op does not', async () => {
      const a = await account();
      const [c] = await deliver(message(), [inboxOf(a)]);
      const seen: string[] = [c!.modseq];
      const inbox = () => box(a, 'inbox');
      expect((await inbox()).highestModseq).toBe(c!.modseq);
      for (const flags of [{ seen: true }, { flagged: true }, { seen: false, flagged: false }]) {
        const row = await t.store.updateFlags(a, c!.messageId, flags);
        expect(BigInt(row.modseq)).toBeGreaterThan(BigInt(seen[seen.length - 1]!));
        expect((await inbox()).highestModseq).toBe(row.modseq);
        seen.push(row.modseq);
      }
      const unchanged = await t.store.updateFlags(a, c!.messageId, { seen: false });
      expect(unchanged.modseq).toBe(seen[seen.length - 1]);
      expect((await inbox()).highestModseq).toBe(unchanged.modseq);
    });

    it('a move leaves a tombstone in the source and raises both mailboxes’ HIGHESTMODSEQ', async () => {
      const a = await account();
      const [c] = await deliver(message(), [inboxOf(a)]);
      const inboxBefore = await box(a, 'inbox');
      const archiveBefore = await box(a, 'archive');
      const moved = await t.store.move(a, c!.messageId, archiveBefore.id);
      const inboxAfter = await box(a, 'inbox');
      const archiveAfter = await box(a, 'archive');
      expect(BigInt(inboxAfter.highestModseq)).toBeGreaterThan(BigInt(inboxBefore.highestModseq));
      expect(BigInt(archiveAfter.highestModseq)).toBeGreaterThan(BigInt(archiveBefore.highestModseq));
      expect(moved.modseq).toBe(archiveAfter.highestModseq);
      expect(await tombstones(a, inboxBefore.id)).toEqual([{ uid: c!.uid, modseq: inboxAfter.highestModseq }]);
      expect(await tombstones(a, archiveBefore.id)).toEqual([]);
      expect(inboxAfter.total).toBe(0);
      expect(archiveAfter.total).toBe(1);
    });

    it('an expunge removes the row, leaves a tombstone (uid, modseq) and raises HIGHESTMODSEQ', async () => {
      const a = await account();
      const copies = [];
      for (let i = 0; i < 3; i++) copies.push((await deliver(message(), [inboxOf(a)]))[0]!);
      const before = await box(a, 'inbox');
      await t.store.expunge(a, copies[1]!.messageId);
      const after = await box(a, 'inbox');
      expect(BigInt(after.highestModseq)).toBe(BigInt(before.highestModseq) + 1n);
      expect(await tombstones(a, before.id)).toEqual([{ uid: 2, modseq: after.highestModseq }]);
      expect(await count('messages WHERE account_id = $1 AND id = $2', [a, copies[1]!.messageId])).toBe(0);
      expect(after.total).toBe(2);
      await expect(t.store.getMessage(a, copies[1]!.messageId)).rejects.toMatchObject({ code: ErrorCode.NotFound });
      await expect(t.store.expunge(a, copies[1]!.messageId)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    });

    it('publishes each change after COMMIT, with the uid and modseq the database holds', async () => {
      const a = await account();
      const events = t.app.get(MailEventsService);
      const seen: { change: MailboxChange; visible: Promise<number> }[] = [];
      const stop = events.subscribe((change) => {
        if (change.accountId !== a) return;
        // A fresh connection must already see the change: publish happens after COMMIT.
        const visible =
          change.kind === 'expunge'
            ? count('expunged WHERE account_id = $1 AND mailbox_id = $2 AND uid = $3 AND modseq = $4', [
                a,
                change.mailboxId,
                change.uids[0],
                change.modseq,
              ])
            : count('messages WHERE account_id = $1 AND mailbox_id = $2 AND uid = $3 AND modseq = $4', [
                a,
                change.mailboxId,
                change.uids[0],
                change.modseq,
              ]);
        seen.push({ change, visible });
      });
      try {
        const [c] = await deliver(message(), [inboxOf(a)]);
        await t.store.updateFlags(a, c!.messageId, { seen: true });
        const archive = await box(a, 'archive');
        await t.store.move(a, c!.messageId, archive.id);
        await t.store.expunge(a, c!.messageId);
      } finally {
        stop();
      }
      expect(seen.map((s) => s.change.kind)).toEqual(['exists', 'flags', 'expunge', 'exists', 'expunge']);
      for (const s of seen) expect(await s.visible, JSON.stringify(s.change)).toBe(1);
    });
  });

  describe('quota and all-or-nothing delivery', () => {
    it('used bytes go up on delivery and down on expunge', async () => {
      const a = await account();
      const raw1 = message({}, 'x'.repeat(1000));
      const raw2 = message({}, 'y'.repeat(3000));
      const [c1] = await deliver(raw1, [inboxOf(a)]);
      expect(await usedBytes(a)).toBe(raw1.length);
      const [c2] = await deliver(raw2, [inboxOf(a)]);
      expect(await usedBytes(a)).toBe(raw1.length + raw2.length);
      await t.store.expunge(a, c1!.messageId);
      expect(await usedBytes(a)).toBe(raw2.length);
      // Moving is not deleting: usage stays.
      await t.store.move(a, c2!.messageId, (await box(a, 'trash')).id);
      expect(await usedBytes(a)).toBe(raw2.length);
      await t.store.expunge(a, c2!.messageId);
      expect(await usedBytes(a)).toBe(0);
    });

    it('a message larger than the free quota is refused with over_quota and nothing is stored', async () => {
      const a = await account(500n);
      const raw = message({}, 'z'.repeat(600));
      const err = await deliver(raw, [inboxOf(a)]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(ErrorCode.OverQuota);
      expect(await usedBytes(a)).toBe(0);
      expect(await count('messages WHERE account_id = $1', [a])).toBe(0);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(0);
      expect((await box(a, 'inbox')).uidNext).toBe(1);
      // A message that fits is still taken, up to the quota exactly.
      const fits = message({}, 'ok');
      const exact = await account(BigInt(fits.length));
      expect(await deliver(fits, [inboxOf(exact)])).toHaveLength(1);
      expect(await usedBytes(exact)).toBe(fits.length);
      await expect(deliver(message({}, 'more'), [inboxOf(exact)])).rejects.toMatchObject({ code: ErrorCode.OverQuota });
    });

    it('one over-quota recipient fails the whole delivery: no copy for anyone', async () => {
      const roomy = await account();
      const other = await account();
      const full = await account(100n);
      const raw = message({}, 'w'.repeat(300));
      const before = await Promise.all([roomy, other].map((a) => box(a, 'inbox')));
      await expect(deliver(raw, [inboxOf(roomy), inboxOf(full), inboxOf(other)])).rejects.toMatchObject({ code: ErrorCode.OverQuota });
      for (const [i, a] of [roomy, other].entries()) {
        expect(await count('messages WHERE account_id = $1', [a])).toBe(0);
        expect(await count('blobs WHERE account_id = $1', [a])).toBe(0);
        expect(await usedBytes(a)).toBe(0);
        const inbox = await box(a, 'inbox');
        expect(inbox.uidNext).toBe(before[i]!.uidNext);
        expect(inbox.highestModseq).toBe(before[i]!.highestModseq);
      }
    });

    it('a missing or foreign mailbox among the targets also fails the whole delivery', async () => {
      const a = await account();
      const b = await account();
      const bArchive = await box(b, 'archive');
      for (const bad of [{ id: bArchive.id }, { id: '9223372036854775807' }, { id: 'nope' }]) {
        await expect(deliver(message(), [inboxOf(a), { accountId: a, mailbox: bad }])).rejects.toMatchObject({ code: ErrorCode.NotFound });
      }
      expect(await count('messages WHERE account_id = $1', [a])).toBe(0);
      expect(await count('messages WHERE account_id = $1', [b])).toBe(0);
      expect(await usedBytes(a)).toBe(0);
    });
  });

  describe('blobs', () => {
    it('copies in one delivery share a blob, which is deleted with the last copy', async () => {
      const a = await account();
      const raw = message({}, 'shared bytes');
      const copies = await deliver(raw, [inboxOf(a), { accountId: a, mailbox: { id: (await box(a, 'archive')).id } }]);
      expect(copies).toHaveLength(2);
      const { rows } = await t.db.pool.query<{ blobId: string }>('SELECT blob_id AS "blobId" FROM messages WHERE account_id = $1', [a]);
      expect(new Set(rows.map((r) => r.blobId)).size).toBe(1);
      const blobId = rows[0]!.blobId;
      expect(await usedBytes(a)).toBe(2 * raw.length); // each copy counts against the quota
      await t.store.expunge(a, copies[0]!.messageId);
      expect(await count('blobs WHERE account_id = $1 AND id = $2', [a, blobId])).toBe(1);
      expect((await t.store.getRaw(a, copies[1]!.messageId)).raw.equals(raw)).toBe(true);
      await t.store.expunge(a, copies[1]!.messageId);
      expect(await count('blobs WHERE account_id = $1 AND id = $2', [a, blobId])).toBe(0);
      expect(await usedBytes(a)).toBe(0);
    });

    it('each account gets its own blob of a message sent to several accounts', async () => {
      const a = await account();
      const b = await account();
      const raw = message();
      const copies = await deliver(raw, [inboxOf(a), inboxOf(b)]);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(1);
      expect(await count('blobs WHERE account_id = $1', [b])).toBe(1);
      await t.store.expunge(a, copies.find((c) => c.accountId === a)!.messageId);
      expect(await count('blobs WHERE account_id = $1', [a])).toBe(0);
      const bCopy = copies.find((c) => c.accountId === b)!;
      expect((await t.store.getRaw(b, bCopy.messageId)).raw.equals(raw)).toBe(true);
    });
  });

  describe('threading', () => {
    it('a reply (In-Reply-To) and a later reference (References) join the first message’s thread', async () => {
      const a = await account();
      const [first] = await deliver(message({ 'Message-ID': '<t1@example.org>', Subject: 'plan' }), [inboxOf(a)]);
      const [reply] = await deliver(message({ 'Message-ID': '<t2@example.org>', 'In-Reply-To': '<t1@example.org>', Subject: 'Re: plan' }), [
        inboxOf(a),
      ]);
      const [later] = await deliver(
        message({ 'Message-ID': '<t3@example.org>', References: '<t1@example.org> <t2@example.org>', Subject: 'Re: plan' }),
        [inboxOf(a)],
      );
      const [unrelated] = await deliver(message({ 'Message-ID': '<u1@example.org>', Subject: 'plan' }), [inboxOf(a)]);
      const thread = async (id: string) => (await t.store.getMessage(a, id)).threadId;
      const firstThread = await thread(first!.messageId);
      expect(await thread(reply!.messageId)).toBe(firstThread);
      expect(await thread(later!.messageId)).toBe(firstThread);
      expect(await thread(unrelated!.messageId)).not.toBe(firstThread); // same subject is not a thread
    });

    it('copies of one message delivered to two mailboxes of an account are one thread', async () => {
      const a = await account();
      const copies = await deliver(message(), [inboxOf(a), { accountId: a, mailbox: { id: (await box(a, 'archive')).id } }]);
      const threads = await Promise.all(copies.map(async (c) => (await t.store.getMessage(a, c.messageId)).threadId));
      expect(threads[0]).toBe(threads[1]);
    });

    it('never joins another account’s thread', async () => {
      const a = await account();
      const b = await account();
      const [bFirst] = await deliver(message({ 'Message-ID': '<only-b@example.org>' }), [inboxOf(b)]);
      const [aReply] = await deliver(message({ 'In-Reply-To': '<only-b@example.org>' }), [inboxOf(a)]);
      expect((await t.store.getMessage(a, aReply!.messageId)).threadId).not.toBe((await t.store.getMessage(b, bFirst!.messageId)).threadId);
    });
  });
});
