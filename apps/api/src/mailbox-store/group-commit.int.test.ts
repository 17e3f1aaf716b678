import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../common/app-error.js';
import { QueryCounter } from '../testing/query-counter.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import type { DeliveryRequest } from './mailbox-store.types.js';

// Group commit of one-copy deliveries (group-commit.ts), counted statement by statement.

let serial = 0;
async function request(accountId: string, body = 'hello'): Promise<DeliveryRequest> {
  const raw = Buffer.from(`From: x@example.org\r\nSubject: g${++serial}\r\nMessage-ID: <g${serial}@example.org>\r\n\r\n${body}\r\n`);
  return { raw, summary: await summarizeMessage(raw), targets: [{ accountId, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'x@example.org' };
}

describe('group commit of deliveries', () => {
  let t: TestApp;
  let counter: QueryCounter;
  let seq = 0;

  beforeAll(async () => {
    // The store alone: the http role's background jobs (contacts indexer, upload expiry) would put
    // their own statements into the counted windows on a slow machine.
    t = await startTestApp({ CORREIO_ROLES: 'smtp' });
    // Every connection of the process: the group's transaction runs on the group commit's own.
    // The change bus's announcements (after each COMMIT, on its own connection) are not the store's.
    counter = QueryCounter.attachProcess((text) => text.startsWith('SELECT pg_notify('));
  });
  afterAll(async () => {
    counter?.detach();
    await t?.close();
  });

  const account = async (quotaBytes?: bigint) => (await t.directory.addAccount({ address: `g${++seq}@correio.test`, password: 'password-1', quotaBytes })).id;

  async function uids(accountId: string): Promise<number[]> {
    const inbox = (await t.store.listMailboxes(accountId)).find((b) => b.specialUse === 'inbox')!;
    return (await t.store.listMessages(accountId, inbox.id, 100)).map((m) => m.uid).sort((a, b) => a - b);
  }

  it('a lone delivery is one autocommit statement (no BEGIN/COMMIT)', async () => {
    const a = await account();
    const req = await request(a);
    counter.reset();
    await t.store.deliverGrouped(req);
    expect(counter.statements.map((st) => st.text.split(/\s+/, 2).join(' '))).toEqual(['WITH target']);
    expect(counter.roundTrips).toBe(1);
    expect(counter.transactions).toBe(1);
  });

  it('deliveries that arrive together share one COMMIT, UIDs ascending without gaps', async () => {
    const a = await account();
    const b = await account();
    const reqs = await Promise.all(Array.from({ length: 10 }, (_, i) => request(i % 2 ? a : b)));
    counter.reset();
    const stored = await Promise.all(reqs.map((r) => t.store.deliverGrouped(r)));
    expect(stored.flat()).toHaveLength(10);
    expect(counter.work).toHaveLength(10);
    expect(counter.transactions).toBe(1);
    // BEGIN, 10 statements, COMMIT: pipelined on PostgreSQL (pipelined-connection.ts), one by one on PGlite.
    expect(counter.roundTrips).toBe(t.testDb.kind === 'postgres' ? 1 : 12);
    expect(await uids(a)).toEqual([1, 2, 3, 4, 5]);
    expect(await uids(b)).toEqual([1, 2, 3, 4, 5]);
  });

  it('an over-quota message fails alone; the rest of its group is committed', async () => {
    const roomy = await account();
    const full = await account(50n);
    const reqs = [await request(roomy), await request(full, 'x'.repeat(200)), await request(roomy)];
    const results = await Promise.allSettled(reqs.map((r) => t.store.deliverGrouped(r)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: ErrorCode.OverQuota });
    expect(await uids(roomy)).toEqual([1, 2]);
    expect(await uids(full)).toEqual([]);
  });

  it('a statement error rolls the group back, then each runs alone: only the bad one fails', async () => {
    const a = await account();
    const good = [await request(a), await request(a)];
    // A summary PostgreSQL refuses (a NUL byte in text): its statement errors, aborting the group.
    const bad = await request(a);
    bad.summary = { ...bad.summary, subject: 'nul\u0000byte' };
    const results = await Promise.allSettled([good[0]!, bad, good[1]!].map((r) => t.store.deliverGrouped(r)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await uids(a)).toEqual([1, 2]);
  });
});
