import { type Pool, createPool, withTransaction } from '@correio/db';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailEventsService } from '../events/mail-events.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import type { MailboxChange } from './mailbox-store.types.js';

// What other processes hear of deliveries (DESIGN invariant 6 across processes): each committed
// copy's 'exists' change, once, in commit order, whether it committed alone, in a group (group
// commit) or in a caller's transaction, and nothing of a rolled-back one. Kept by issue 10's third
// round, which tried two other ways of committing the bus's NOTIFYs (pg-change-bus.ts).
describe('a delivery’s change reaches other processes after its COMMIT', () => {
  let t: TestApp;
  let other: MailEventsService;
  let otherPool: Pool;
  let accountId: string;
  const heardElsewhere: MailboxChange[] = [];
  const heardHere: MailboxChange[] = [];

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    accountId = (await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' })).id;
    // Another API process, as far as the bus can tell: its own connection and process id.
    otherPool = createPool({ url: t.testDb.url, applicationName: 'other-process', max: 1 });
    other = new MailEventsService(otherPool, { preparedStatements: false, listenNotify: t.testDb.kind === 'postgres' });
    await other.onModuleInit();
    other.subscribe((c) => heardElsewhere.push(c));
    t.app.get(MailEventsService).subscribe((c) => heardHere.push(c));
  });
  afterAll(async () => {
    await other?.onApplicationShutdown();
    await otherPool?.end();
    await t?.close();
  });

  async function request(n: number) {
    const raw = Buffer.from(`From: a@example.org\r\nSubject: m${n}\r\nMessage-ID: <n${n}@example.org>\r\n\r\nhello\r\n`);
    return { raw, summary: await summarizeMessage(raw), envelopeFrom: 'a@example.org', targets: [{ accountId, mailbox: { specialUse: 'inbox' as const }, incoming: true }] };
  }

  async function settle(ms = 300): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
  }

  it('a committed copy is heard once here and once in the other process, a rolled-back one nowhere', async ({ skip }) => {
    if (t.testDb.kind !== 'postgres') skip();
    const [alone] = await t.store.deliverGrouped(await request(1));
    // Several at once share a transaction (group commit): each is still notified, in commit order.
    const grouped = (await Promise.all([2, 3, 4].map(async (n) => t.store.deliverGrouped(await request(n))))).flat();
    const inTx = await withTransaction(t.db.pool, async (tx) => t.store.deliverWithin(tx, await request(5)));
    t.store.publishDelivered(inTx);
    await expect(
      withTransaction(t.db.pool, async (tx) => {
        await t.store.deliverWithin(tx, await request(6));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await settle();
    const expected = [alone!, ...grouped, ...inTx].map((c) => ({ accountId, mailboxId: c.mailboxId, kind: 'exists', uids: [c.uid], modseq: c.modseq }));
    expect(heardElsewhere).toEqual(expected);
    expect(heardHere).toEqual(expected);
  });

  it('without LISTEN/NOTIFY (PGlite) nothing crosses and this process still hears its copies', async ({ skip }) => {
    if (t.testDb.kind === 'postgres') skip();
    heardHere.length = 0;
    const [copy] = await t.store.deliverGrouped(await request(7));
    await settle(50);
    expect(heardHere).toEqual([{ accountId, mailboxId: copy!.mailboxId, kind: 'exists', uids: [copy!.uid], modseq: copy!.modseq }]);
    expect(heardElsewhere).toEqual([]);
  });
});
