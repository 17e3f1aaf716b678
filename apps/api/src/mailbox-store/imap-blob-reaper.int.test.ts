import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { ImapBlobReaper } from './imap-blob-reaper.js';
import { ImapStoreService } from './imap-store.service.js';

// IMAP EXPUNGE is one autocommitted statement that records the blobs it released; the reaper
// deletes those no message refers to any more, later (imap-blob-reaper.ts). Nothing a message still
// refers to may go: not a copy made by COPY, not one committed while the EXPUNGE waited for it.

describe('IMAP EXPUNGE and the blob reaper', () => {
  let t: TestApp;
  let imap: ImapStoreService;
  let reaper: ImapBlobReaper;
  let seq = 0;
  beforeAll(async () => {
    t = await startTestApp();
    imap = t.app.get(ImapStoreService);
    reaper = t.app.get(ImapBlobReaper);
  });
  afterAll(() => t?.close());

  async function setup() {
    const a = (await t.directory.addAccount({ address: `reap${++seq}@correio.test`, password: 'password-1' })).id;
    const inbox = (await imap.findMailbox(a, 'INBOX'))!.id;
    const archive = (await imap.findMailbox(a, 'Archive'))!.id;
    return { a, inbox, archive };
  }
  async function deliver(a: string, mailboxId: string, n: number) {
    for (let i = 0; i < n; i++) {
      const raw = Buffer.from(
        `From: x@example.org\r\nSubject: r${seq}-${i}\r\nMessage-ID: <r${seq}-${i}@example.org>\r\n\r\nbody ${i}\r\n`,
      );
      await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: a, mailbox: { id: mailboxId } }],
        envelopeFrom: 'x@example.org',
      });
    }
  }
  const count = async (sql: string, params: unknown[]) =>
    (await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params)).rows[0]!.n;
  /** Message rows whose blob is gone: must always be none. */
  const dangling = (a: string) =>
    count(
      'messages m WHERE m.account_id = $1 AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.account_id = m.account_id AND b.id = m.blob_id)',
      [a],
    );
  const deleteAll = (a: string, mailboxId: string, uids: number[]) =>
    imap.storeFlags({ accountId: a, mailboxId, uids, op: 'add', flags: ['\\Deleted'] });

  it('frees the blobs no copy shares, keeps the shared one until its last copy goes (search text with them)', async () => {
    const { a, inbox, archive } = await setup();
    await deliver(a, inbox, 3);
    await imap.copyMessages(a, inbox, [2], archive);
    await deleteAll(a, inbox, [1, 2, 3]);
    expect((await imap.expunge(a, inbox)).uids).toEqual([1, 2, 3]);
    // The reaper's own nudge (200 ms after the expunge) may already have run on a slow machine.
    await reaper.reapAll();
    expect(await count('released_blobs WHERE account_id = $1', [a])).toBe(0);
    expect(await count('blobs WHERE account_id = $1', [a])).toBe(1);
    expect(await dangling(a)).toBe(0);
    const [copy] = await imap.fetchMeta(a, archive, [1], {
      flags: false,
      internalDate: false,
      size: false,
      envelope: false,
      structure: false,
    });
    expect((await imap.readMessages(a, [copy!.blobId])).get(copy!.blobId)?.toString()).toContain('body 1');
    await deleteAll(a, archive, [1]);
    await imap.expunge(a, archive);
    await reaper.reapAll();
    expect(await count('blobs WHERE account_id = $1', [a])).toBe(0);
    expect(await count('message_text_pending WHERE account_id = $1', [a])).toBe(0);
    expect(await count('message_text WHERE account_id = $1', [a])).toBe(0);
  });

  it('copies in one mailbox expunged together, and a blob released twice before a reap, go once', async () => {
    const { a, inbox, archive } = await setup();
    await deliver(a, inbox, 2);
    await imap.copyMessages(a, inbox, [1], inbox); // UID 3 shares message 1's blob
    await imap.copyMessages(a, inbox, [2], archive);
    await deleteAll(a, inbox, [1, 2, 3]);
    await deleteAll(a, archive, [1]);
    expect((await imap.expunge(a, inbox)).uids).toEqual([1, 2, 3]);
    // Message 2's blob is a candidate already (unless the nudge ran): the second release meets it.
    expect((await imap.expunge(a, archive)).uids).toEqual([1]);
    await reaper.reapAll();
    expect(await count('blobs WHERE account_id = $1', [a])).toBe(0);
    expect(await count('released_blobs WHERE account_id = $1', [a])).toBe(0);
  });

  it('an EXPUNGE that frees nothing records nothing', async () => {
    const { a, inbox } = await setup();
    await deliver(a, inbox, 1);
    expect((await imap.expunge(a, inbox)).uids).toEqual([]);
    expect(await count('released_blobs WHERE account_id = $1', [a])).toBe(0);
  });

  it('COPY and EXPUNGE of the same messages at once: the copies that were made keep their bytes', async () => {
    const { a, inbox, archive } = await setup();
    await deliver(a, inbox, 20);
    const uids = Array.from({ length: 20 }, (_, i) => i + 1);
    await deleteAll(a, inbox, uids);
    await Promise.all(uids.map((u) => (u % 2 ? imap.copyMessages(a, inbox, [u], archive) : imap.expunge(a, inbox, [u - 1, u]))));
    await imap.expunge(a, inbox);
    await reaper.reapAll();
    expect(await dangling(a)).toBe(0);
    expect(await count('messages WHERE account_id = $1 AND mailbox_id = $2', [a, inbox])).toBe(0);
    expect(await count('blobs WHERE account_id = $1', [a])).toBe(await count('messages WHERE account_id = $1', [a]));
  });

  // The interleaving that a blob check inside the EXPUNGE statement would get wrong: COPY holds the
  // source row, EXPUNGE waits for it, COPY commits, EXPUNGE deletes the row. Needs two connections.
  it.skipIf(process.env.DATABASE_URL === undefined)('EXPUNGE waiting for a COPY of its message: the copy keeps the blob', async () => {
    const { a, inbox, archive } = await setup();
    await deliver(a, inbox, 1);
    await deleteAll(a, inbox, [1]);
    const gate = await t.db.pool.connect();
    try {
      // Holds the target mailbox row: COPY locks the source row, then waits here for its UID.
      await gate.query('BEGIN');
      await gate.query('SELECT 1 FROM mailboxes WHERE account_id = $1 AND id = $2 FOR UPDATE', [a, archive]);
      const copying = imap.copyMessages(a, inbox, [1], archive);
      await waitForLockWaits(1, gate);
      const expunging = imap.expunge(a, inbox);
      await waitForLockWaits(2, gate);
      await gate.query('COMMIT');
      expect((await copying).destinationUids).toEqual([1]);
      expect((await expunging).uids).toEqual([1]);
    } finally {
      gate.release();
    }
    await reaper.reapAll();
    expect(await dangling(a)).toBe(0);
    expect(await count('blobs WHERE account_id = $1', [a])).toBe(1);
  });
});

/** Waits until at least `n` backends wait for a lock (COPY on the mailbox row, EXPUNGE on the message row). */
async function waitForLockWaits(n: number, q: { query: (sql: string) => Promise<{ rows: { n: number }[] }> }) {
  for (let i = 0; i < 200; i++) {
    const { rows } = await q.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
    );
    if (rows[0]!.n >= n) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the COPY/EXPUNGE never waited for the lock');
}
