import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { DeliveryWorker } from './delivery.worker.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { OutboundQueueRepository } from './repositories/outbound-queue.repository.js';

// Exactly one DSN even when a worker stalls past its lease: the recipient's bounce and its DSN
// commit together, and a worker whose lease was taken over records (and notifies) nothing.

describe('DSN exactly once', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let bruna: string;

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(_a, _s, cb) {
        cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    // No delivery role: this test runs the worker by hand.
    t = await startTestApp({
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${port}`,
      CORREIO_DELIVERY_KEEP_FINISHED: '0s',
    });
    bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  async function inboxCount(): Promise<number> {
    const inbox = (await t.store.listMailboxes(bruna)).find((m) => m.specialUse === 'inbox')!;
    return (await t.store.listMessages(bruna, inbox.id, 50)).length;
  }

  it('a stalled worker that lost its lease neither records the attempt nor sends a second DSN', async () => {
    const client = await t.db.pool.connect();
    let id: string;
    try {
      id = await t.app.get(OutboundQueueService).enqueue(client, {
        accountId: bruna,
        raw: Buffer.from('Subject: once\r\n\r\nhi\r\n'),
        envelopeFrom: 'bruna@paulolopes.fr',
        recipients: [{ address: 'gone@remote.example' }],
      });
    } finally {
      client.release();
    }
    const repo = t.app.get(OutboundQueueRepository);
    // A worker claims with a lease that runs out at once, then stalls (it "dies" for now).
    const [stalled] = await repo.claimDue('stalled-worker', 1, 10);
    expect(stalled).toMatchObject({ messageId: id, address: 'gone@remote.example' });
    await new Promise((r) => setTimeout(r, 50));

    // Another worker takes it over, gets the 550 and bounces it with one DSN.
    expect(await t.app.get(DeliveryWorker).runOnce()).toBe(1);
    expect(await inboxCount()).toBe(1);

    // The stalled worker wakes up with the same 550: its lease is gone, so nothing is recorded.
    const recorded = await repo.recordOutcomes(t.db.pool, 'stalled-worker', [
      { id: stalled!.id, state: 'bounced', reply: '550 5.1.1 no such user', remoteHost: '127.0.0.1', nextAttemptAt: null, failureNotified: true, delayNotified: false },
    ]);
    expect(recorded.size).toBe(0);
    const { rows } = await t.db.pool.query<{ state: string; attempts: number; notified: boolean; history: number }>(
      `SELECT state, attempts, failure_notified_at IS NOT NULL AS notified,
              (SELECT count(*)::int FROM outbound_attempts a WHERE a.recipient_id = r.id) AS history
         FROM outbound_recipients r WHERE message_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ state: 'bounced', attempts: 1, notified: true, history: 1 }]);
    expect(await t.app.get(DeliveryWorker).runOnce()).toBe(0);
    expect(await inboxCount()).toBe(1);
  });

  it('purges finished entries and their bytes, and keeps the ones still waiting', async () => {
    const client = await t.db.pool.connect();
    let waiting: string;
    try {
      waiting = await t.app.get(OutboundQueueService).enqueue(client, {
        accountId: bruna,
        raw: Buffer.from('Subject: wait\r\n\r\nhi\r\n'),
        envelopeFrom: 'bruna@paulolopes.fr',
        recipients: [{ address: 'later@remote.example' }],
        held: true,
      });
    } finally {
      client.release();
    }
    const before = await t.db.pool.query<{ id: string; blob_id: string }>('SELECT id, blob_id FROM outbound_messages ORDER BY id');
    expect(before.rows).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(await t.app.get(DeliveryWorker).purgeFinished()).toBe(1);
    const after = await t.db.pool.query<{ id: string }>('SELECT id FROM outbound_messages');
    expect(after.rows.map((r) => r.id)).toEqual([waiting]);
    const bytes = await t.db.pool.query('SELECT 1 FROM blobs WHERE id = $1', [before.rows[0]!.blob_id]);
    expect(bytes.rows).toHaveLength(0);
    expect(await inboxCount()).toBe(1); // the DSN is the user's mail, not the queue's
  });
});
