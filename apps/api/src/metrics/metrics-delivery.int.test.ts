import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Delivery outcomes in /metrics: a scripted remote (smtp-server as the smarthost) accepts ok@,
// refuses bad@ for good (550) and later@ for now (451).

const series = (result: string) => `correio_outbound_recipients_total{result="${result}"}`;

async function scrape(t: TestApp): Promise<Map<string, number>> {
  const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
  return new Map(text.split('\n').flatMap((l) => {
    const m = /^(\S+) (\S+)$/.exec(l);
    return m ? [[m[1]!, Number(m[2])] as const] : [];
  }));
}

describe('/metrics delivery outcomes', () => {
  let t: TestApp;
  let server: SMTPServer;
  let account: string;
  beforeAll(async () => {
    const port = await freePort();
    server = new SMTPServer({
      disableReverseLookup: true,
      logger: false,
      authOptional: true,
      onRcptTo(address, _session, cb) {
        if (address.address.startsWith('bad@')) return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
        if (address.address.startsWith('later@')) return cb(Object.assign(new Error('4.2.0 try later'), { responseCode: 451 }));
        cb();
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1h',
      CORREIO_SMARTHOST: `127.0.0.1:${port}`,
      CORREIO_SMARTHOST_TLS: 'opportunistic',
      CORREIO_SMARTHOST_TLS_VERIFY: 'false',
    });
    account = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('counts sent, bounced and deferred recipients as the worker records them', async () => {
    const before = await scrape(t);
    const client = await t.db.pool.connect();
    let id: string;
    try {
      const raw = Buffer.from('From: bruna@paulolopes.fr\r\nSubject: counted\r\n\r\nhi\r\n');
      id = await t.app.get(OutboundQueueService).enqueue(client, {
        accountId: account,
        raw,
        envelopeFrom: 'bruna@paulolopes.fr',
        recipients: [{ address: 'ok@example.org' }, { address: 'bad@example.org' }, { address: 'later@example.org' }],
      });
    } finally {
      client.release();
    }
    for (let i = 0; i < 200; i++) {
      const { rows } = await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbound_recipients WHERE message_id = $1 AND state = 'queued'`, [id]);
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await scrape(t);
    for (const result of ['sent', 'bounced', 'deferred']) {
      expect([result, (after.get(series(result)) ?? 0) - (before.get(series(result)) ?? 0)]).toEqual([result, 1]);
    }
    expect(after.get('correio_queue_depth')).toBe(1); // later@, deferred
  });
});
