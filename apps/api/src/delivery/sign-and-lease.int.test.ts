import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { DeliveryWorker } from './delivery.worker.js';
import { OutboundQueueService } from './outbound-queue.service.js';

// DKIM signing happens once, when the message is queued: the queue holds the signed bytes and every
// attempt sends exactly them. And the lease is checked right before sending: a group that waited
// for a connection slot while another worker took its recipients over is not sent by this one.

describe('signed at enqueue; lease checked before sending', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let bruna: string;
  const received: { to: string[]; data: string }[] = [];
  /** Refuse the first end of data with 451 (once per address listed). */
  const tempFailOnce = new Set<string>();
  let dataDelayMs = 0;

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          received.push({ to, data: Buffer.concat(chunks).toString('latin1') });
          if (to.some((a) => tempFailOnce.delete(a))) return cb(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
          setTimeout(cb, dataDelayMs);
        });
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    // No delivery role: the worker runs by hand. One connection per domain, so groups wait for it.
    t = await startTestApp({
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${port}`,
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1s',
      CORREIO_DELIVERY_MAX_PER_DOMAIN: '1',
      CORREIO_DELIVERY_LEASE: '2s',
    });
    bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  async function enqueue(to: string, envelopeFrom = 'bruna@paulolopes.fr'): Promise<string> {
    const client = await t.db.pool.connect();
    try {
      return await t.app.get(OutboundQueueService).enqueue(client, {
        accountId: bruna,
        raw: Buffer.from(`From: bruna@paulolopes.fr\r\nTo: ${to}\r\nSubject: signed once\r\n\r\nhello ${to}\r\n`),
        envelopeFrom,
        recipients: [{ address: to }],
      });
    } finally {
      client.release();
    }
  }

  async function queued(id: string): Promise<string> {
    const { rows } = await t.db.pool.query<{ data: Buffer }>(
      'SELECT b.data FROM outbound_messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id WHERE m.id = $1',
      [id],
    );
    return rows[0]!.data.toString('latin1');
  }

  it('queues the signed bytes and sends exactly them on every attempt, never signing again', async () => {
    const id = await enqueue('joel@remote.example');
    const stored = await queued(id);
    // RSA and Ed25519 signatures of the sender's domain, before the original header.
    expect(stored.match(/^DKIM-Signature: /gm)).toHaveLength(2);
    expect(stored).toMatch(/a=rsa-sha256; [\s\S]*d=paulolopes\.fr/);
    expect(stored).toMatch(/a=ed25519-sha256; [\s\S]*d=paulolopes\.fr/);
    expect(stored.endsWith('From: bruna@paulolopes.fr\r\nTo: joel@remote.example\r\nSubject: signed once\r\n\r\nhello joel@remote.example\r\n')).toBe(true);

    tempFailOnce.add('joel@remote.example');
    const before = received.length;
    await t.app.get(DeliveryWorker).runOnce(); // 451
    await new Promise((r) => setTimeout(r, 1_100));
    await t.app.get(DeliveryWorker).runOnce(); // 250
    const attempts = received.slice(before);
    expect(attempts.map((a) => a.data)).toEqual([stored, stored]);
    const { rows } = await t.db.pool.query<{ state: string; attempts: number }>('SELECT state, attempts FROM outbound_recipients WHERE message_id = $1', [id]);
    expect(rows).toEqual([{ state: 'delivered', attempts: 2 }]);
  });

  it('does not sign for a sender domain without keys (an external sender of an alias forward)', async () => {
    const stored = await queued(await enqueue('ana@remote.example', 'someone@elsewhere.example'));
    expect(stored).not.toMatch(/DKIM-Signature/i);
  });

  it('drops a group whose recipients another worker took over while it waited for a connection slot', async () => {
    await t.app.get(DeliveryWorker).runOnce(); // the previous test's leftovers
    const first = await enqueue('first@remote.example');
    const second = await enqueue('second@remote.example');
    dataDelayMs = 600;
    const before = received.length;
    try {
      const run = t.app.get(DeliveryWorker).runOnce(); // claims both; the second waits for the one slot
      await new Promise((r) => setTimeout(r, 300));
      // Meanwhile another worker holds the second recipient (as after this one's lease ran out).
      await t.db.pool.query(
        `UPDATE outbound_recipients SET lease_owner = 'other-worker', lease_until = now() + interval '1 minute' WHERE message_id = $1`,
        [second],
      );
      expect(await run).toBe(2);
    } finally {
      dataDelayMs = 0;
    }
    expect(received.slice(before).map((r) => r.to)).toEqual([['first@remote.example']]);
    const { rows } = await t.db.pool.query<{ message_id: string; state: string; attempts: number; lease_owner: string | null }>(
      'SELECT message_id, state, attempts, lease_owner FROM outbound_recipients WHERE message_id = ANY($1::bigint[]) ORDER BY message_id',
      [[first, second]],
    );
    expect(rows).toEqual([
      { message_id: first, state: 'delivered', attempts: 1, lease_owner: null },
      { message_id: second, state: 'queued', attempts: 0, lease_owner: 'other-worker' },
    ]);
  });
});
