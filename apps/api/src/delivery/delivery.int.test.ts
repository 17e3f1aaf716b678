import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@correio/testing';
import { DNS_RESOLVER } from '../dns/dns-resolver.js';
import type { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { OutboundQueueService } from './outbound-queue.service.js';

// The delivery worker against a scripted remote MX: what each reply does to a recipient.

describe('delivery worker', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let port: number;
  let bruna: string;
  const script = new Map<string, number[]>(); // recipient → reply codes for successive attempts
  const received: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, cb) {
        const codes = script.get(address.address) ?? [250];
        const code = codes.length > 1 ? codes.shift()! : codes[0]!;
        if (code === 250) return cb();
        const err = new Error(code >= 500 ? 'no such user here' : 'try again later') as Error & { responseCode: number };
        err.responseCode = code;
        cb(err);
      },
      onData(stream, session, cb) {
        stream.on('data', () => {});
        stream.on('end', () => {
          received.push(...session.envelope.rcptTo.map((r) => r.address));
          cb();
        });
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${port},down.example=127.0.0.1:1`,
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1s',
    });
    bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    const dns = t.app.get<StaticDnsResolver>(DNS_RESOLVER);
    dns.set('nullmx.example', { MX: [{ exchange: '', priority: 0 }] });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  async function enqueue(to: string[]): Promise<string> {
    const queue = t.app.get(OutboundQueueService);
    const client = await t.db.pool.connect();
    try {
      return await queue.enqueue(client, {
        accountId: bruna,
        raw: Buffer.from(`From: bruna@paulolopes.fr\r\nSubject: test\r\n\r\nhello\r\n`),
        envelopeFrom: 'bruna@paulolopes.fr',
        recipients: to.map((address) => ({ address })),
      });
    } finally {
      client.release();
    }
  }

  async function states(messageId: string, until: (rows: Record<string, string>) => boolean): Promise<Record<string, { state: string; attempts: number; reply: string }>> {
    for (let i = 0; i < 150; i++) {
      const { rows } = await t.db.pool.query<{ address: string; state: string; attempts: number; last_reply: string }>(
        'SELECT address, state, attempts, last_reply FROM outbound_recipients WHERE message_id = $1',
        [messageId],
      );
      const byAddress = Object.fromEntries(rows.map((r) => [r.address, { state: r.state, attempts: r.attempts, reply: r.last_reply }]));
      if (until(Object.fromEntries(rows.map((r) => [r.address, r.state])))) return byAddress;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('queue never reached the expected states');
  }

  it('delivers at once on 250', async () => {
    const id = await enqueue(['ok@remote.example']);
    const s = await states(id, (r) => r['ok@remote.example'] === 'delivered');
    expect(s['ok@remote.example']).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(received).toContain('ok@remote.example');
  });

  it('retries after a 4xx and delivers once', async () => {
    script.set('slow@remote.example', [451, 250]);
    const id = await enqueue(['slow@remote.example']);
    const s = await states(id, (r) => r['slow@remote.example'] === 'delivered');
    expect(s['slow@remote.example']!.attempts).toBe(2);
    expect(received.filter((a) => a === 'slow@remote.example')).toHaveLength(1);
  });

  it('bounces at once on a 5xx, keeping the remote reply, and still delivers the other recipient', async () => {
    script.set('gone@remote.example', [550]);
    const id = await enqueue(['gone@remote.example', 'ok2@remote.example']);
    const s = await states(id, (r) => r['gone@remote.example'] === 'bounced' && r['ok2@remote.example'] === 'delivered');
    expect(s['gone@remote.example']).toMatchObject({ state: 'bounced', attempts: 1 });
    expect(s['gone@remote.example']!.reply).toMatch(/^550 .*no such user here/);
  });

  it('defers while the destination refuses connections', async () => {
    const id = await enqueue(['x@down.example']);
    const s = await states(id, (r) => r['x@down.example'] === 'deferred');
    expect(s['x@down.example']!.reply).toMatch(/connection to 127\.0\.0\.1:1 failed/);
  });

  it('bounces for a domain with a null MX (RFC 7505) or no DNS at all', async () => {
    const id = await enqueue(['a@nullmx.example', 'b@nowhere.example']);
    const s = await states(id, (r) => r['a@nullmx.example'] === 'bounced' && r['b@nowhere.example'] === 'bounced');
    expect(s['a@nullmx.example']!.reply).toMatch(/null MX/);
    expect(s['b@nowhere.example']!.reply).toMatch(/no such domain/);
  });
});
