import { type SimpleParserOptions, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@correio/testing';
import { DNS_RESOLVER } from '../dns/dns-resolver.js';
import type { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { type EnqueueRequest, OutboundQueueService } from './outbound-queue.service.js';

// The delivery worker against a scripted remote MX: what each reply does to a recipient, and the
// delivery status notifications (RFC 3464) the sender gets.

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
  /** RFC 3461 parameters as the remote saw them: MAIL (ret, envid) and the first RCPT (notify, orcpt). */
  dsn: { ret?: string; envid?: string; notify?: string[]; orcpt?: string };
}

interface Dsn {
  subject: string;
  /** The message/delivery-status part. */
  status: string;
  /** The third part: the original headers (text/rfc822-headers) or message (message/rfc822). */
  original: { contentType: string; text: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function parseDsn(raw: Buffer): Promise<Dsn | undefined> {
  const p = await simpleParser(raw, { keepDeliveryStatus: true } as SimpleParserOptions);
  const ct = p.headers.get('content-type') as { value: string; params: Record<string, string> } | undefined;
  if (ct?.value !== 'multipart/report' || ct.params['report-type'] !== 'delivery-status') return undefined;
  const status = p.attachments.find((a) => a.contentType === 'message/delivery-status');
  const original = p.attachments.find((a) => a.contentType === 'text/rfc822-headers' || a.contentType === 'message/rfc822');
  return {
    subject: p.subject ?? '',
    status: status!.content.toString(),
    original: { contentType: original!.contentType, text: original!.content.toString() },
  };
}

describe('delivery worker', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let port: number;
  let bruna: string;
  const script = new Map<string, number[]>(); // recipient → reply codes for successive attempts
  const received: Received[] = [];

  beforeAll(async () => {
    port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      hideDSN: false,
      onRcptTo(address, _session, cb) {
        const codes = script.get(address.address) ?? [250];
        const code = codes.length > 1 ? codes.shift()! : codes[0]!;
        if (code === 250) return cb();
        const err = new Error(code >= 500 ? '5.1.1 no such user here' : 'try again later') as Error & { responseCode: number };
        err.responseCode = code;
        cb(err);
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          const env = session.envelope as typeof session.envelope & { dsn?: { ret?: string; envid?: string } };
          const rcpt = session.envelope.rcptTo[0] as { dsn?: { notify?: string[]; orcpt?: string } } | undefined;
          const dsn = { ret: env.dsn?.ret ?? undefined, envid: env.dsn?.envid ?? undefined, notify: rcpt?.dsn?.notify, orcpt: rcpt?.dsn?.orcpt };
          received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks), dsn });
          cb();
        });
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_HOSTNAME: 'mail.paulolopes.fr',
      CORREIO_TRANSPORT_MAP: `remote.example=127.0.0.1:${port},elsewhere.example=127.0.0.1:${port},down.example=127.0.0.1:1`,
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1s',
      // Short enough to see a refused destination expire, and a delay warning before that.
      CORREIO_DELIVERY_QUEUE_LIFETIME: '4s',
      CORREIO_DELIVERY_DELAY_WARNING: '1s',
    });
    bruna = (await t.directory.addAccount({ address: 'bruna@paulolopes.fr', password: 'bruna-password' })).id;
    const dns = t.app.get<StaticDnsResolver>(DNS_RESOLVER);
    dns.set('nullmx.example', { MX: [{ exchange: '', priority: 0 }] });
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  async function enqueue(to: string[], extra: Partial<EnqueueRequest> = {}): Promise<string> {
    const queue = t.app.get(OutboundQueueService);
    const client = await t.db.pool.connect();
    try {
      return await queue.enqueue(client, {
        accountId: bruna,
        raw: Buffer.from(`From: bruna@paulolopes.fr\r\nSubject: test ${to.join(' ')}\r\n\r\nhello\r\n`),
        envelopeFrom: 'bruna@paulolopes.fr',
        recipients: to.map((address) => ({ address })),
        ...extra,
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
      await sleep(100);
    }
    throw new Error('queue never reached the expected states');
  }

  /** The DSNs in Bruna's INBOX that name this recipient. */
  async function dsnsFor(recipient: string): Promise<Dsn[]> {
    const inbox = (await t.store.listMailboxes(bruna)).find((m) => m.specialUse === 'inbox')!;
    const out: Dsn[] = [];
    for (const m of await t.store.listMessages(bruna, inbox.id, 200)) {
      const dsn = await parseDsn((await t.store.getRaw(bruna, m.id)).raw);
      if (dsn?.status.includes(`Final-Recipient: rfc822; ${recipient}`)) out.push(dsn);
    }
    return out;
  }

  it('delivers at once on 250', async () => {
    const id = await enqueue(['ok@remote.example']);
    const s = await states(id, (r) => r['ok@remote.example'] === 'delivered');
    expect(s['ok@remote.example']).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(received.flatMap((m) => m.to)).toContain('ok@remote.example');
  });

  it('passes the DSN parameters on to a receiver that offers DSN (RFC 3461 §6.1)', async () => {
    const id = await enqueue(['dsn@remote.example'], {
      recipients: [{ address: 'dsn@remote.example', notify: ['FAILURE', 'DELAY'], orcpt: 'rfc822;alias@paulolopes.fr' }],
      dsn: { ret: 'HDRS', envid: 'ENV-1' },
    });
    await states(id, (r) => r['dsn@remote.example'] === 'delivered');
    const m = received.find((x) => x.to.includes('dsn@remote.example'))!;
    expect(m.dsn).toMatchObject({ ret: 'HDRS', envid: 'ENV-1', notify: ['FAILURE', 'DELAY'] });
    expect(m.dsn.orcpt).toMatch(/^rfc822;alias@paulolopes\.fr$/i);
  });

  it('retries after a 4xx and delivers once', async () => {
    script.set('slow@remote.example', [451, 250]);
    const id = await enqueue(['slow@remote.example']);
    const s = await states(id, (r) => r['slow@remote.example'] === 'delivered');
    expect(s['slow@remote.example']!.attempts).toBe(2);
    expect(received.flatMap((m) => m.to).filter((a) => a === 'slow@remote.example')).toHaveLength(1);
    expect(await dsnsFor('slow@remote.example')).toHaveLength(0);
  });

  it('bounces at once on a 5xx, puts exactly one DSN in the sender INBOX, and still delivers the other recipient', async () => {
    script.set('gone@remote.example', [550]);
    const id = await enqueue(['gone@remote.example', 'ok2@remote.example'], { dsn: { envid: 'QQ314159' } });
    const s = await states(id, (r) => r['gone@remote.example'] === 'bounced' && r['ok2@remote.example'] === 'delivered');
    expect(s['gone@remote.example']).toMatchObject({ state: 'bounced', attempts: 1 });
    expect(s['gone@remote.example']!.reply).toMatch(/^550 .*no such user here/);
    await sleep(1500); // more worker passes: still one
    const dsns = await dsnsFor('gone@remote.example');
    expect(dsns).toHaveLength(1);
    const d = dsns[0]!;
    expect(d.subject).toBe('Undelivered Mail Returned to Sender');
    expect(d.status).toMatch(/^Reporting-MTA: dns; mail\.paulolopes\.fr$/m);
    expect(d.status).toMatch(/^Original-Envelope-Id: QQ314159$/m);
    expect(d.status).toMatch(/^Arrival-Date: \w{3}, \d{2} \w{3} \d{4} [\d:]{8} \+0000$/m);
    expect(d.status).toMatch(/^Action: failed$/m);
    expect(d.status).toMatch(/^Status: 5\.1\.1$/m);
    expect(d.status).toMatch(/^Remote-MTA: dns; 127\.0\.0\.1$/m);
    expect(d.status).toMatch(/^Diagnostic-Code: smtp; 550 .*no such user here$/m);
    expect(d.status).not.toContain('ok2@remote.example');
    expect(d.original.contentType).toBe('text/rfc822-headers');
    expect(d.original.text).toContain('Subject: test gone@remote.example ok2@remote.example');
  });

  it('lists every recipient that failed in the same attempt in one DSN, with the full message for RET=FULL', async () => {
    script.set('a1@remote.example', [550]);
    script.set('a2@remote.example', [550]);
    const id = await enqueue(['a1@remote.example', 'a2@remote.example'], { dsn: { ret: 'FULL' } });
    await states(id, (r) => r['a1@remote.example'] === 'bounced' && r['a2@remote.example'] === 'bounced');
    const dsns = await dsnsFor('a1@remote.example');
    expect(dsns).toHaveLength(1);
    expect(dsns[0]!.status).toContain('Final-Recipient: rfc822; a2@remote.example');
    expect(dsns[0]!.original.contentType).toBe('message/rfc822');
    expect(dsns[0]!.original.text).toContain('hello');
  });

  it('honours NOTIFY: NEVER and SUCCESS-only get no failure DSN', async () => {
    script.set('never@remote.example', [550]);
    script.set('success@remote.example', [550]);
    const id = await enqueue(['never@remote.example', 'success@remote.example'], {
      recipients: [
        { address: 'never@remote.example', notify: ['NEVER'] },
        { address: 'success@remote.example', notify: ['SUCCESS'] },
      ],
    });
    await states(id, (r) => r['never@remote.example'] === 'bounced' && r['success@remote.example'] === 'bounced');
    await sleep(500);
    expect(await dsnsFor('never@remote.example')).toHaveLength(0);
    expect(await dsnsFor('success@remote.example')).toHaveLength(0);
  });

  it('sends no DSN for a message from the null sender <>', async () => {
    script.set('nobounce@remote.example', [550]);
    const id = await enqueue(['nobounce@remote.example'], { envelopeFrom: '' });
    await states(id, (r) => r['nobounce@remote.example'] === 'bounced');
    await sleep(1000);
    expect(await dsnsFor('nobounce@remote.example')).toHaveLength(0);
    const { rows } = await t.db.pool.query(`SELECT 1 FROM outbound_messages WHERE envelope_from = '' AND id > $1`, [id]);
    expect(rows).toHaveLength(0);
  });

  it('queues the DSN for a remote sender (an alias forward from the MX), from <>, and it reaches the sender domain', async () => {
    script.set('forwarded@remote.example', [550]);
    const client = await t.db.pool.connect();
    let id: string;
    try {
      id = await t.app.get(OutboundQueueService).enqueueForwards(client, {
        raw: Buffer.from('From: carla@elsewhere.example\r\nSubject: to the alias\r\n\r\nhi\r\n'),
        envelopeFrom: 'carla@elsewhere.example',
        recipients: [{ address: 'forwarded@remote.example', orcpt: 'rfc822;alias@paulolopes.fr' }],
      });
    } finally {
      client.release();
    }
    await states(id, (r) => r['forwarded@remote.example'] === 'bounced');
    let bounce: Received | undefined;
    for (let i = 0; i < 100 && !bounce; i++) {
      bounce = received.find((m) => m.to.includes('carla@elsewhere.example'));
      if (!bounce) await sleep(100);
    }
    expect(bounce).toMatchObject({ from: '', to: ['carla@elsewhere.example'] });
    const d = (await parseDsn(bounce!.raw))!;
    expect(d.status).toContain('Final-Recipient: rfc822; forwarded@remote.example');
    expect(d.status).toContain('Original-Recipient: rfc822; alias@paulolopes.fr');
    expect(d.status).toMatch(/^Diagnostic-Code: smtp; 550 .*no such user here$/m);
    expect(received.filter((m) => m.to.includes('carla@elsewhere.example'))).toHaveLength(1);
  });

  it('warns once after the delay-warning time, then bounces at expiry with one failure DSN', async () => {
    const id = await enqueue(['x@down.example']);
    const s = await states(id, (r) => r['x@down.example'] === 'bounced');
    expect(s['x@down.example']!.reply).toMatch(/gave up after \d+ attempts: connection to 127\.0\.0\.1:1 failed/);
    await sleep(1000);
    const dsns = await dsnsFor('x@down.example');
    const delayed = dsns.filter((d) => /^Action: delayed$/m.test(d.status));
    const failed = dsns.filter((d) => /^Action: failed$/m.test(d.status));
    expect(delayed).toHaveLength(1);
    expect(delayed[0]!.subject).toBe('Delayed Mail (still being retried)');
    expect(delayed[0]!.status).toMatch(/^Will-Retry-Until: /m);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.status).toMatch(/^Status: 4\.4\.7$/m);
    expect(failed[0]!.status).toMatch(/^Diagnostic-Code: X-Correio; connection to 127\.0\.0\.1:1 failed/m);
  });

  it('bounces for a domain with a null MX (RFC 7505) or no DNS at all', async () => {
    const id = await enqueue(['a@nullmx.example', 'b@nowhere.example']);
    const s = await states(id, (r) => r['a@nullmx.example'] === 'bounced' && r['b@nowhere.example'] === 'bounced');
    expect(s['a@nullmx.example']!.reply).toMatch(/null MX/);
    expect(s['b@nowhere.example']!.reply).toMatch(/no such domain/);
    const [d] = await dsnsFor('a@nullmx.example');
    expect(d!.status).toMatch(/^Status: 5\.1\.10$/m);
  });

  it('keeps a held entry until it is released', async () => {
    const queue = t.app.get(OutboundQueueService);
    const id = await enqueue(['held@remote.example'], { held: true });
    await sleep(1200);
    expect((await states(id, () => true))['held@remote.example']!.state).toBe('held');
    expect(received.flatMap((m) => m.to)).not.toContain('held@remote.example');
    expect(await queue.release(id)).toBe(1);
    await states(id, (r) => r['held@remote.example'] === 'delivered');
  });

  it('sends a scheduled entry not before its time, and cancels one that has not started', async () => {
    const queue = t.app.get(OutboundQueueService);
    const later = await enqueue(['later@remote.example'], { notBefore: new Date(Date.now() + 1500) });
    const undone = await enqueue(['undone@remote.example'], { notBefore: new Date(Date.now() + 1500) });
    await queue.cancel(undone, { accountId: bruna });
    await sleep(700);
    expect(received.flatMap((m) => m.to)).not.toContain('later@remote.example');
    await states(later, (r) => r['later@remote.example'] === 'delivered');
    await sleep(500);
    expect(received.flatMap((m) => m.to)).not.toContain('undone@remote.example');
    // The cancelled entry stays (the sender's delivery status says so), never claimed.
    expect((await t.db.pool.query('SELECT state, attempts FROM outbound_recipients WHERE message_id = $1', [undone])).rows).toEqual([{ state: 'cancelled', attempts: 0 }]);
    await expect(queue.cancel(undone, { accountId: bruna })).rejects.toMatchObject({ code: 'not_found' });
    // Too late to cancel once delivery started; another account's entry does not exist for it.
    await expect(queue.cancel(later, { accountId: bruna })).rejects.toMatchObject({ code: 'conflict' });
    await expect(queue.cancel(later, { accountId: '999999' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
