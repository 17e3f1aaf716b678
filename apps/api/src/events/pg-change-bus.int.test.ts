import { type Pool, createPool } from '@correio/db';
import { createTestDatabase, type TestDatabase } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import { MailEventsService } from './mail-events.service.js';
import { decodeChange, encodeChange } from './pg-change-bus.js';

// DESIGN invariant 6 across processes: two change buses on two connections (as two API processes
// would have) hear each other's changes through PostgreSQL LISTEN/NOTIFY; on PGlite the bus stays
// in-process.

function waitFor(got: MailboxChange[], predicate: (all: MailboxChange[]) => boolean, ms = 1_000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate(got)) resolve();
      else if (Date.now() > until) reject(new Error(`not within ${ms} ms: ${JSON.stringify(got)}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('change bus payloads', () => {
  it('a large UID list is split into payloads under 8000 bytes that give back every UID', () => {
    const uids = Array.from({ length: 20_000 }, (_, i) => i * 2 + 1); // no two adjacent: no ranges
    const change: MailboxChange = { accountId: '12', mailboxId: '34', kind: 'expunge', uids, modseq: '99' };
    const payloads = encodeChange('p1', change);
    expect(payloads.length).toBeGreaterThan(10);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const back = payloads.map((p) => decodeChange(p)!);
    expect(back.every((b) => b.processId === 'p1' && b.change.kind === 'expunge' && b.change.modseq === '99')).toBe(true);
    expect(back.flatMap((b) => b.change.uids)).toEqual(uids);
    // Consecutive UIDs travel as ranges.
    expect(encodeChange('p', { ...change, uids: [1, 2, 3, 4, 9] })).toEqual(['{"p":"p","a":"12","m":"34","k":"x","s":"99","u":"1:4,9"}']);
    expect(decodeChange('not json')).toBeUndefined();
  });
});

describe('change bus across connections', () => {
  let db: TestDatabase;
  const pools: Pool[] = [];
  const buses: MailEventsService[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const b of buses) await b.onApplicationShutdown();
    for (const p of pools) await p.end();
    await db?.drop();
  });

  async function bus(listenNotify: boolean): Promise<{ events: MailEventsService; got: MailboxChange[]; pool: Pool }> {
    const pool = createPool({ url: db.url, applicationName: 'bus-test', max: 1 });
    pools.push(pool);
    const events = new MailEventsService(pool, { preparedStatements: false, listenNotify });
    await events.onModuleInit();
    buses.push(events);
    const got: MailboxChange[] = [];
    events.subscribe((c) => got.push(c));
    return { events, got, pool };
  }

  const change = (n: number): MailboxChange => ({ accountId: '1', mailboxId: '2', kind: 'exists', uids: [n], modseq: String(n) });

  it('two processes see each other’s publishes within 1 s, and each its own once', async ({ skip }) => {
    if (db.kind !== 'postgres') skip();
    const a = await bus(true);
    const b = await bus(true);
    expect(a.events.isCrossProcess && b.events.isCrossProcess).toBe(true);
    a.events.publish(change(1));
    b.events.publish(change(2));
    await waitFor(a.got, (g) => g.length === 2);
    await waitFor(b.got, (g) => g.length === 2);
    expect(a.got).toEqual([change(1), change(2)]);
    expect(b.got).toEqual([change(2), change(1)]);
    // Nothing more arrives (a process's own notification is dropped, not emitted twice).
    await new Promise((r) => setTimeout(r, 200));
    expect(a.got).toHaveLength(2);
    expect(b.got).toHaveLength(2);
  });

  it('a large change arrives whole; the listener comes back after its connection is killed', async ({ skip }) => {
    if (db.kind !== 'postgres') skip();
    const a = await bus(true);
    const b = await bus(true);
    const uids = Array.from({ length: 5_000 }, (_, i) => i * 3 + 1);
    a.events.publish({ accountId: '7', mailboxId: '8', kind: 'flags', uids, modseq: '5' });
    await waitFor(b.got, (g) => g.flatMap((c) => c.uids).length === uids.length);
    expect(b.got.flatMap((c) => c.uids)).toEqual(uids);
    let resyncs = 0;
    b.events.onResync(() => resyncs++);
    expect(resyncs).toBe(0);
    // Kill every listening connection but the test's own; both buses reconnect within about a second.
    await a.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'correio-mail-changes' AND datname = current_database()`,
    );
    b.got.length = 0;
    const until = Date.now() + 5_000;
    let n = 100;
    while (b.got.length === 0 && Date.now() < until) {
      a.events.publish(change(++n));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(b.got.length).toBeGreaterThan(0);
    expect(b.got[0]!.uids[0]).toBeGreaterThan(100);
    // Whatever was sent while b was not listening is lost: b told its subscribers to resync, once.
    expect(resyncs).toBe(1);
  });

  it('without LISTEN/NOTIFY (PGlite) the bus is in-process only', async () => {
    const a = await bus(false);
    const b = await bus(false);
    expect(a.events.isCrossProcess).toBe(false);
    a.events.publish(change(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(a.got).toEqual([change(1)]);
    expect(b.got).toEqual([]);
  });
});
