import { SmtpTranscript } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCounter } from '../testing/query-counter.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

/**
 * The guard of issue 10: what one received message costs the database, counted exactly (every
 * query of every connection of the process: the pool's, and the dedicated ones of the change bus
 * and the directory's listener), so a change that adds a query or a transaction per message fails
 * here, with no timing involved. The budget, per message to one known recipient:
 * - RCPT TO: nothing (the recipient cache answers; directory/recipient-cache.ts);
 * - end of data: one statement (mailbox-store delivery.repository.ts), which is also its one
 *   durable transaction when the message commits alone; messages that arrive together share a
 *   COMMIT (mailbox-store/group-commit.ts), which adds BEGIN and COMMIT per group, never per message;
 * - after the 250: at most one pg_notify on the change bus's own connection (events/pg-change-bus.ts;
 *   the changes of one event-loop turn share it), off the path to the 250. The second round's
 *   guard counted only the pool and did not see this statement.
 * Each message goes over a new connection, as smtp-source and most MTAs send them.
 */
describe('MX cost per message (queries and transactions)', () => {
  let t: TestApp;
  let counter: QueryCounter;
  let sinkId: string;

  beforeAll(async () => {
    // The MX alone: the http role's background jobs (the contacts indexer, upload expiry) work per
    // batch and per interval, not per message, and would make the count depend on their timing.
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'smtp' });
    sinkId = (await t.directory.addAccount({ address: 'sink@ifsc.edu', password: 'sink-password' })).id;
    counter = QueryCounter.attachProcess();
    // The account's creation is notified to the directory's change listener (real PostgreSQL), which
    // drops the recipient cache when it hears it: let that land before the cache is filled.
    await new Promise((r) => setTimeout(r, 500));
    // The first message looks the recipient up; every later one is answered from the cache.
    await sendOne(t.smtpPort!, 0);
  });
  afterAll(async () => {
    counter?.detach();
    await t?.close();
  });

  async function stored(): Promise<number> {
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE account_id = $1', [sinkId]);
    return rows[0]!.n;
  }

  /**
   * Refills the recipient cache just before counting starts: on PGlite its entries live 5 s (no
   * change notifications there), and on a loaded machine beforeAll's entry could expire during a
   * test, so that concurrent sessions each looked the recipient up again — a lookup per TTL, not
   * per message, that made the count depend on timing.
   */
  async function warm(i: number): Promise<number> {
    t.directory.forgetCachedRecipients();
    await sendOne(t.smtpPort!, i);
    return stored();
  }

  /**
   * Runs `send` with the counter reset, and what it cost: the delivery statements, the recipient
   * lookups, and the round trips and transactions of everything else. A recipient lookup is allowed
   * only where the cache may expire during the run: on PGlite its entries live 5 s
   * (directory/recipient-cache.ts ttlMs), and a run on a loaded machine can outlast that — then at
   * most one lookup per session and expiry, never one per message. On PostgreSQL: none.
   */
  async function cost(send: () => Promise<void>, sessions: number) {
    counter.reset();
    const started = Date.now();
    await send();
    // What runs after a 250 (publishing) has had its turn: a late statement would count too.
    await new Promise((r) => setTimeout(r, 100));
    const elapsed = Date.now() - started;
    const all = [...counter.statements];
    const lookups = all.filter((st) => st.text.startsWith('SELECT d.id')).length;
    const allowed = t.testDb.kind === 'postgres' ? 0 : sessions * Math.ceil(elapsed / 5_000);
    expect(lookups).toBeLessThanOrEqual(allowed);
    // The change bus's announcements (autocommit, on its own connection, after the 250s).
    const notifies = all.filter((st) => st.text.startsWith('SELECT pg_notify(')).length;
    const { roundTrips, transactions, work } = counter;
    return {
      work: work.map((st) => st.text.split(/\s+/, 2).join(' ')).filter((w) => w !== 'SELECT d.id' && w !== 'SELECT pg_notify($1,'),
      notifies,
      roundTrips: roundTrips - lookups - notifies,
      transactions: transactions - lookups - notifies,
    };
  }

  it('one session at a time: exactly one statement, one round trip and one transaction per message', async () => {
    const before = await warm(1000);
    const n = 20;
    const { work, notifies, roundTrips, transactions } = await cost(async () => {
      for (let i = 1; i <= n; i++) await sendOne(t.smtpPort!, i);
    }, 1);
    expect(await stored()).toBe(before + n);
    expect(work).toEqual(Array(n).fill('WITH target'));
    expect(notifies).toBeLessThanOrEqual(t.testDb.kind === 'postgres' ? n : 0);
    expect(roundTrips).toBe(n);
    expect(transactions).toBe(n);
  });

  it('ten sessions at once: still one statement per message, and at most one COMMIT per message', async () => {
    const before = await warm(1001);
    const sessions = 10;
    const perSession = 5;
    const n = sessions * perSession;
    const { work, notifies, roundTrips, transactions } = await cost(
      () =>
        Promise.all(
          Array.from({ length: sessions }, async (_, s) => {
            for (let i = 0; i < perSession; i++) await sendOne(t.smtpPort!, 100 + s * perSession + i);
          }),
        ).then(() => undefined),
      sessions,
    );
    expect(await stored()).toBe(before + n);
    expect(work).toEqual(Array(n).fill('WITH target'));
    expect(notifies).toBeLessThanOrEqual(t.testDb.kind === 'postgres' ? n : 0);
    expect(transactions).toBeLessThanOrEqual(n);
    if (t.testDb.kind === 'postgres') {
      // A shared transaction's BEGIN, statements and COMMIT travel pipelined: one round trip each
      // (mailbox-store/pipelined-connection.ts).
      expect(roundTrips).toBe(transactions);
    } else {
      // PGlite: grouped messages add BEGIN and COMMIT once per group, 2 round trips per shared transaction.
      expect(roundTrips).toBeLessThanOrEqual(n + 2 * transactions);
    }
  });
});

/** One message on its own connection: greeting, EHLO, MAIL, RCPT, DATA, the text, QUIT. */
async function sendOne(port: number, i: number): Promise<void> {
  const s = await SmtpTranscript.connect(port);
  try {
    expect(await s.read()).toMatch(/^220/);
    expect(await s.command('EHLO client.example')).toMatch(/^250/);
    expect(await s.command('MAIL FROM:<loadgen@client.example>')).toMatch(/^250/);
    expect(await s.command('RCPT TO:<sink@ifsc.edu>')).toMatch(/^250/);
    expect(await s.command('DATA')).toMatch(/^354/);
    s.write(`From: loadgen@client.example\r\nSubject: message ${i}\r\nMessage-ID: <m${i}@client.example>\r\n\r\n${'body line\r\n'.repeat(40)}`);
    expect(await s.command('.')).toMatch(/^250 /);
    expect(await s.command('QUIT')).toMatch(/^221/);
  } finally {
    s.close();
  }
}
