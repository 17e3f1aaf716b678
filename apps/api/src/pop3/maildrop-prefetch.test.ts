import { describe, expect, it } from 'vitest';
import { type FetchInto, MaildropPrefetcher, type PrefetchableMessage } from './maildrop-prefetch.js';
import { PrefetchBudget, type PrefetchLimits } from './prefetch-limits.js';

const LIMITS: PrefetchLimits = { maxMessagesAhead: 8, maxBytesAhead: 1000, batchMessages: 4, firstBatchMessages: 4, batchBytes: 400, maxAgeMs: 1000, maxBytesAllSessions: 10_000 };

function maildrop(sizes: number[]): PrefetchableMessage[] {
  return sizes.map((size, i) => ({ id: String(i + 1), uid: i + 1, size, isDeleted: false }));
}

/** A fake store: records each query, answers when told to (so tests can act while one is in flight). */
function fakeStore(messages: PrefetchableMessage[], deleted = new Set<string>()) {
  const queries: { ids: string[]; answer(): void; fail(): void }[] = [];
  let autoAnswer = true;
  const fetchMany: FetchInto = (requests, into) =>
    new Promise<Map<string, number>>((resolve, reject) => {
      const ids = requests.map((r) => r.id);
      const answer = () => {
        const found = new Map<string, number>();
        for (const r of requests) {
          if (deleted.has(r.id)) continue;
          const size = messages[Number(r.id) - 1]!.size;
          found.set(r.id, size);
          if (size <= r.capacity) Buffer.from(into).fill(r.id, r.offset, r.offset + size);
        }
        resolve(found);
      };
      queries.push({ ids, answer, fail: () => reject(new Error('database down')) });
      if (autoAnswer) answer();
    });
  return {
    queries,
    fetchMany,
    manual() {
      autoAnswer = false;
    },
  };
}

const directFor = (messages: PrefetchableMessage[], log: number[]) => (i: number) => async () => {
  log.push(i);
  return Buffer.alloc(messages[i]!.size, String(i + 1));
};

const tick = () => new Promise((r) => setImmediate(r));

describe('MaildropPrefetcher', () => {
  it('reads ahead in batches: 40 sequential RETRs, one direct read and a handful of queries', async () => {
    const msgs = maildrop(Array(40).fill(50));
    const store = fakeStore(msgs);
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    const direct: number[] = [];
    for (let i = 0; i < 40; i++) {
      const { raw, release } = await p.get(i, true, directFor(msgs, direct)(i));
      release();
      expect(raw.length).toBe(50);
      expect(raw.toString()[0]).toBe(String(i + 1)[0]);
      await tick();
    }
    expect(direct).toEqual([0]);
    expect(store.queries.length).toBeLessThanOrEqual(12);
    expect(store.queries.every((q) => q.ids.length <= LIMITS.batchMessages)).toBe(true);
    expect(p.stats.hits).toBe(39);
  });

  it('never holds more than the window (messages and bytes), one query at a time', async () => {
    const msgs = maildrop(Array(100).fill(150));
    const store = fakeStore(msgs);
    store.manual();
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    await p.get(0, true, directFor(msgs, [])(0));
    // A client that stops reading: answer every query; the window must stop growing.
    for (let round = 0; round < 20; round++) {
      expect(store.queries.filter((q) => q !== undefined).length).toBeLessThanOrEqual(round + 1);
      store.queries.at(-1)?.answer();
      await tick();
    }
    expect(p.heldCount * 150).toBeLessThanOrEqual(LIMITS.maxBytesAhead);
    expect(p.heldCount).toBeLessThanOrEqual(LIMITS.maxMessagesAhead);
    expect(p.heldCount).toBeGreaterThan(0);
  });

  it('a message larger than the byte window is never read ahead; messages marked deleted are skipped', async () => {
    const msgs = maildrop([10, 10, 5000, 10, 10]);
    msgs[3]!.isDeleted = true;
    const store = fakeStore(msgs);
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    await p.get(0, true, directFor(msgs, [])(0));
    await tick();
    expect(store.queries.flatMap((q) => q.ids)).toEqual(['2', '5']);
  });

  it('a jump is read directly and moves the window; what falls behind is dropped', async () => {
    const msgs = maildrop(Array(30).fill(10));
    const store = fakeStore(msgs);
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    const direct: number[] = [];
    await p.get(0, true, directFor(msgs, direct)(0));
    await tick();
    const before = store.queries.length;
    await p.get(20, true, directFor(msgs, direct)(20));
    await tick();
    expect(direct).toEqual([0, 20]);
    expect(store.queries[before]!.ids[0]).toBe('22');
    await p.get(21, true, directFor(msgs, direct)(21));
    expect(direct).toEqual([0, 20]);
    // Message 2 was read ahead, then the client jumped past it: read directly again.
    await p.get(1, true, directFor(msgs, direct)(1));
    expect(direct).toEqual([0, 20, 1]);
  });

  it('waits for the query under way rather than reading the same message twice', async () => {
    const msgs = maildrop(Array(10).fill(10));
    const store = fakeStore(msgs);
    store.manual();
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    const direct: number[] = [];
    await p.get(0, true, directFor(msgs, direct)(0));
    const second = p.get(1, true, directFor(msgs, direct)(1));
    await tick();
    store.queries[0]!.answer();
    expect((await second).raw.toString()).toBe('2'.repeat(10));
    expect(direct).toEqual([0]);
    expect(p.stats.waits).toBe(1);
  });

  it('a message deleted meanwhile is not served from memory, even when its query was under way', async () => {
    const msgs = maildrop(Array(10).fill(10));
    const store = fakeStore(msgs);
    store.manual();
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    const direct: number[] = [];
    await p.get(0, true, directFor(msgs, direct)(0));
    p.invalidate(['3']); // deleted after the query started, before it returned
    store.queries[0]!.answer();
    await tick();
    await p.get(1, true, directFor(msgs, direct)(1));
    store.queries[1]?.answer();
    await tick();
    p.invalidate(['4']); // deleted while held
    await p.get(2, true, directFor(msgs, direct)(2));
    await p.get(3, true, directFor(msgs, direct)(3));
    expect(direct).toEqual([0, 2, 3]);
  });

  it('too old a copy is read again; a failed query is forgotten (the RETR reads directly)', async () => {
    let now = 0;
    const msgs = maildrop(Array(10).fill(10));
    const store = fakeStore(msgs);
    store.manual();
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS, () => now);
    const direct: number[] = [];
    await p.get(0, true, directFor(msgs, direct)(0));
    store.queries[0]!.fail();
    await tick();
    // The window is refilled with a new query; it fails too: RETR 2 reads directly.
    const second = p.get(1, true, directFor(msgs, direct)(1));
    store.queries[1]!.fail();
    await second;
    expect(direct).toEqual([0, 1]);
    await tick();
    store.queries[2]!.answer();
    await tick();
    now = LIMITS.maxAgeMs + 1;
    await p.get(2, true, directFor(msgs, direct)(2));
    expect(direct).toEqual([0, 1, 2]);
  });

  it('all sessions share one byte budget: a session without room reads directly; the room comes back when a session ends', async () => {
    const msgs = maildrop(Array(20).fill(100));
    const budget = new PrefetchBudget(450);
    const a = fakeStore(msgs);
    const b = fakeStore(msgs);
    const pa = new MaildropPrefetcher(msgs, a.fetchMany, LIMITS, Date.now, budget);
    const pb = new MaildropPrefetcher(msgs, b.fetchMany, LIMITS, Date.now, budget);
    await pa.get(0, true, directFor(msgs, [])(0));
    await tick();
    expect(budget.used).toBe(450); // a ring of what was left (less than the 1000-byte window)
    const direct: number[] = [];
    await pb.get(0, true, directFor(msgs, direct)(0));
    await pb.get(1, true, directFor(msgs, direct)(1));
    expect(b.queries).toHaveLength(0);
    expect(direct).toEqual([0, 1]);
    // pa keeps reading ahead within its smaller ring.
    for (let i = 1; i < 20; i++) {
      const { raw, release } = await pa.get(i, true, directFor(msgs, [])(i));
      expect(raw.toString()).toBe(String(i + 1).repeat(100).slice(0, 100));
      release();
      await tick();
    }
    expect(pa.stats.hits).toBeGreaterThan(15);
    pa.close();
    expect(budget.used).toBe(0);
    await pb.get(2, true, directFor(msgs, direct)(2));
    await tick();
    expect(b.queries).toHaveLength(1);
    expect(budget.used).toBe(450);
    pb.close();
    expect(budget.used).toBe(0);
  });

  it('never reuses the memory of a message whose lease is out (its bytes still being sent)', async () => {
    const msgs = maildrop(Array(40).fill(100));
    const store = fakeStore(msgs);
    const limits = { ...LIMITS, maxBytesAhead: 400, batchBytes: 200 };
    const p = new MaildropPrefetcher(msgs, store.fetchMany, limits);
    await p.get(0, true, directFor(msgs, [])(0));
    await tick();
    // RETR 2 .. 40 with the lease of RETR 2 never released (a socket that never drains).
    const stuck = await p.get(1, true, directFor(msgs, [])(1));
    expect(stuck.raw.toString()).toBe('2'.repeat(100));
    const direct: number[] = [];
    for (let i = 2; i < 40; i++) {
      const { raw, release } = await p.get(i, true, directFor(msgs, direct)(i));
      expect(raw.toString()).toBe(String(i + 1).repeat(100).slice(0, 100));
      release();
      await tick();
    }
    expect(stuck.raw.toString()).toBe('2'.repeat(100)); // untouched
    expect(direct.length).toBeGreaterThan(20); // the ring stayed full behind the pinned region
    stuck.release();
    p.close();
  });

  it('start() reads the first messages at login, in a small batch; full batches follow', async () => {
    const msgs = maildrop(Array(40).fill(10));
    const store = fakeStore(msgs);
    const p = new MaildropPrefetcher(msgs, store.fetchMany, { ...LIMITS, firstBatchMessages: 2 });
    p.start();
    await tick();
    expect(store.queries.map((q) => q.ids)).toEqual([['1', '2'], ['3', '4', '5', '6']]);
    const direct: number[] = [];
    const { raw } = await p.get(0, true, directFor(msgs, direct)(0));
    expect(raw.toString()).toBe('1'.repeat(10));
    expect(direct).toEqual([]); // RETR 1 from the read-ahead
    p.close();
  });

  it('the ring is sized for the maildrop: small messages get far less than the byte window', async () => {
    const budget = new PrefetchBudget(1_000_000);
    const small = maildrop(Array(100).fill(10));
    const p = new MaildropPrefetcher(small, fakeStore(small).fetchMany, { ...LIMITS, maxBytesAhead: 100_000 }, Date.now, budget);
    p.start();
    await tick();
    // 1.5 windows of 8 average messages (each with 37 bytes of room for the response around it).
    expect(budget.used).toBe((10 + 37) * 8 * 1.5);
    p.close();
    expect(budget.used).toBe(0);
  });

  it('frames a response around the bytes in place: one Buffer, the bytes untouched', async () => {
    const msgs = maildrop(Array(10).fill(10));
    const p = new MaildropPrefetcher(msgs, fakeStore(msgs).fetchMany, LIMITS);
    p.start();
    await tick();
    const lease = await p.get(0, true, directFor(msgs, [])(0));
    const framed = lease.frame!('+OK 10 octets\r\n', Buffer.from('\r\n.\r\n'));
    expect(framed!.toString()).toBe(`+OK 10 octets\r\n${'1'.repeat(10)}\r\n.\r\n`);
    expect(framed!.buffer).toBe(lease.raw.buffer); // the ring itself, no copy
    expect(lease.raw.toString()).toBe('1'.repeat(10));
    expect(lease.frame!('x'.repeat(33), Buffer.alloc(0))).toBeUndefined(); // no room: the caller writes chunks
    lease.release();
    p.close();
  });

  it('TOP keeps the copy for the RETR that follows; close() drops everything', async () => {
    const msgs = maildrop(Array(10).fill(10));
    const store = fakeStore(msgs);
    const p = new MaildropPrefetcher(msgs, store.fetchMany, LIMITS);
    const direct: number[] = [];
    await p.get(0, true, directFor(msgs, direct)(0));
    await tick();
    await p.get(1, false, directFor(msgs, direct)(1));
    await p.get(1, true, directFor(msgs, direct)(1));
    expect(direct).toEqual([0]);
    p.close();
    expect(p.heldCount).toBe(0);
    await p.get(2, true, directFor(msgs, direct)(2));
    expect(direct).toEqual([0, 2]);
  });
});
