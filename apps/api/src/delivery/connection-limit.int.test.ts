import { freePort } from '@correio/testing';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { OutboundQueueService } from './outbound-queue.service.js';

// CORREIO_DELIVERY_MAX_PER_DOMAIN against a destination that is slow to accept DATA: never more
// connections to it than allowed, and mail for another domain is not held up behind it.

describe('per-destination connection limit', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let active = 0;
  let peak = 0;
  const delivered: { to: string; at: number }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, session: SMTPServerSession & { slow?: boolean }, cb) {
        if (address.address.endsWith('@slow.example') && !session.slow) {
          session.slow = true;
          peak = Math.max(peak, ++active);
        }
        cb();
      },
      onData(stream, session: SMTPServerSession & { slow?: boolean }, cb) {
        stream.resume();
        stream.on('end', () => {
          setTimeout(() => {
            for (const r of session.envelope.rcptTo) delivered.push({ to: r.address, at: Date.now() });
            if (session.slow) {
              session.slow = false;
              active--;
            }
            cb();
          }, session.slow ? 1500 : 0);
        });
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `slow.example=127.0.0.1:${port},fast.example=127.0.0.1:${port}`,
      CORREIO_DELIVERY_MAX_PER_DOMAIN: '2',
    });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  it('keeps to the limit for the slow domain and delivers the fast one meanwhile', async () => {
    const bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    const queue = t.app.get(OutboundQueueService);
    const client = await t.db.pool.connect();
    const started = Date.now();
    try {
      for (const to of ['s1@slow.example', 's2@slow.example', 's3@slow.example', 's4@slow.example', 's5@slow.example', 'f1@fast.example']) {
        await queue.enqueue(client, { accountId: bruna, raw: Buffer.from(`Subject: ${to}\r\n\r\nhi\r\n`), envelopeFrom: 'bruna@paulolopes.fr', recipients: [{ address: to }] });
      }
    } finally {
      client.release();
    }
    for (let i = 0; i < 200 && delivered.length < 6; i++) await new Promise((r) => setTimeout(r, 100));
    expect(delivered.map((d) => d.to).sort()).toEqual(['f1@fast.example', 's1@slow.example', 's2@slow.example', 's3@slow.example', 's4@slow.example', 's5@slow.example']);
    expect(peak).toBe(2);
    // The fast domain went out in the first round, not after the slow domain's three rounds.
    expect(delivered.find((d) => d.to === 'f1@fast.example')!.at - started).toBeLessThan(1500);
  });
});
