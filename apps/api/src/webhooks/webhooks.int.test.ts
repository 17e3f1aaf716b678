import type { CreatedWebhook, WebhookDeliveryList, WebhookList, WebhookView } from '@correio/contracts';
import { SmtpTranscript, WebhookReceiver } from '@correio/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Issue 13 item 4 over real HTTP and SMTP against a real database: a real receiver verifies every
// request with the standardwebhooks library; retries after 5xx, nothing after a 2xx, redelivery,
// SSRF refusals at create and at delivery time, another account's webhook answering 404.

async function smtpDeliver(port: number, to: string, subject: string): Promise<void> {
  const s = await SmtpTranscript.connect(port);
  try {
    expect(await s.read()).toMatch(/^220/);
    expect(await s.command('EHLO client.example')).toMatch(/^250/);
    expect(await s.command('MAIL FROM:<bruna@paulolopes.fr>')).toMatch(/^250/);
    expect(await s.command(`RCPT TO:<${to}>`)).toMatch(/^250/);
    expect(await s.command('DATA')).toMatch(/^354/);
    s.write(`From: Bruna <bruna@paulolopes.fr>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@paulolopes.fr>\r\n\r\nhello\r\n`);
    expect(await s.command('.')).toMatch(/^250 /);
  } finally {
    s.close();
  }
}

const body = (h: { body: string }) => JSON.parse(h.body) as { type: string; timestamp: string; data: Record<string, unknown> };

describe('webhooks', () => {
  let t: TestApp;
  let config: AppConfig;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestApp({
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_WEBHOOKS_ALLOW_PRIVATE: 'true',
      CORREIO_WEBHOOKS_RETRY_BASE: '200ms',
      CORREIO_TRANSPORT_MAP: 'down.example=127.0.0.1:1',
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1h',
    });
    config = t.app.get<AppConfig>(APP_CONFIG);
    const account = async (address: string) => {
      const id = (await t.directory.addAccount({ address, password: `${address}-pw` })).id;
      const http = new HttpClient(t.baseUrl);
      expect((await http.login(address, `${address}-pw`)).status).toBe(200);
      return { id, http };
    };
    ana = await account('ana@ifsc.edu');
    bia = await account('bia@ifsc.edu');
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('creates, lists, reads, updates and deletes; the secret only in the create answer; another account gets 404', async () => {
    const res = await ana.http.request('POST', '/api/v1/webhooks', { url: `${receiver.url}?crud`, events: ['message.sent'] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedWebhook;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);
    expect(created).toMatchObject({ url: `${receiver.url}?crud`, events: ['message.sent'], enabled: true });
    const list = await ana.http.json<WebhookList>('GET', '/api/v1/webhooks');
    expect(list.webhooks.map((w) => w.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain('whsec_');
    const one = await ana.http.json<WebhookView>('GET', `/api/v1/webhooks/${created.id}`);
    expect(one).not.toHaveProperty('secret');
    const patched = await ana.http.json<WebhookView>('PATCH', `/api/v1/webhooks/${created.id}`, { events: ['delivery.bounced', 'message.sent'], enabled: false });
    expect(patched).toMatchObject({ events: ['delivery.bounced', 'message.sent'], enabled: false });

    // DESIGN invariant 4: bia sees nothing of ana's webhook.
    for (const [method, path, b] of [
      ['GET', `/api/v1/webhooks/${created.id}`],
      ['PATCH', `/api/v1/webhooks/${created.id}`, { enabled: true }],
      ['GET', `/api/v1/webhooks/${created.id}/deliveries`],
      ['POST', `/api/v1/webhooks/${created.id}/deliveries/1/redeliver`],
      ['DELETE', `/api/v1/webhooks/${created.id}`],
      ['GET', '/api/v1/webhooks/abc'],
    ] as const) {
      expect((await bia.http.request(method, path, b)).status, `${method} ${path}`).toBe(404);
    }
    expect((await bia.http.json<WebhookList>('GET', '/api/v1/webhooks')).webhooks).toEqual([]);

    expect((await ana.http.request('POST', '/api/v1/webhooks', { url: 'ftp://x.example/', events: ['message.sent'] })).status).toBe(400);
    expect((await ana.http.request('POST', '/api/v1/webhooks', { url: receiver.url, events: ['no.such.event'] })).status).toBe(400);
    expect((await ana.http.request('POST', '/api/v1/webhooks', { url: receiver.url, events: ['message.sent'] }, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await ana.http.request('DELETE', `/api/v1/webhooks/${created.id}`)).status).toBe(204);
    expect((await ana.http.request('GET', `/api/v1/webhooks/${created.id}`)).status).toBe(404);
  });

  it('refuses private and loopback targets unless the setting allows them, at create and again before each attempt', async () => {
    config.webhooks.allowPrivate = false;
    try {
      for (const url of ['http://127.0.0.1:8080/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/x', 'http://unresolvable.example/x']) {
        const res = await ana.http.request('POST', '/api/v1/webhooks', { url, events: ['message.received'] });
        expect(res.status, url).toBe(400);
        expect(((await res.json()) as { message: string }).message).toMatch(/refused/);
      }
    } finally {
      config.webhooks.allowPrivate = true;
    }
    // Allowed when created; the address is refused at delivery time once the setting is off (as a
    // name that rebinds to a private address would be): the receiver never gets the request.
    const hook = await ana.http.json<CreatedWebhook>('POST', '/api/v1/webhooks', { url: `${receiver.url}?ssrf`, events: ['message.received'] });
    config.webhooks.allowPrivate = false;
    try {
      await smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', 'ssrf check');
      const list = await waitForDeliveries(ana.http, hook.id, (l) => l.deliveries[0]?.attemptCount === 1);
      expect(list.deliveries[0]!.attempts[0]).toMatchObject({ statusCode: null, error: expect.stringMatching(/private, loopback/) });
      expect(receiver.received.filter((r) => r.headers.host && r.body && r.headers['webhook-id'] && r.body.includes('ssrf check'))).toEqual([]);
    } finally {
      config.webhooks.allowPrivate = true;
      await ana.http.request('DELETE', `/api/v1/webhooks/${hook.id}`);
    }
  });

  it('delivers message.received for SMTP mail, signed (standardwebhooks verifies it); retries after 500s, never calls again after a 2xx; redelivers with the same webhook-id', async () => {
    const hook = await ana.http.json<CreatedWebhook>('POST', '/api/v1/webhooks', { url: `${receiver.url}?retry`, events: ['message.received'] });
    const verifier = new Webhook(hook.secret);
    const mine = () => receiver.received.filter((r) => r.body.includes('retry path'));
    receiver.statuses = [500, 503];
    await smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', 'retry path');
    await receiver.waitFor(() => mine().length === 3);
    const calls = mine();
    const id = calls[0]!.headers['webhook-id']!;
    expect(id).toMatch(/^evt_\d+$/);
    expect(calls.map((c) => c.headers['webhook-id'])).toEqual([id, id, id]);
    for (const c of calls) {
      expect(verifier.verify(c.body, c.headers)).toMatchObject({ type: 'message.received' });
      expect(c.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(c.headers['content-type']).toBe('application/json');
    }
    // Tampering is caught by the same library.
    expect(() => verifier.verify(calls[0]!.body.replace('retry', 'RETRY'), calls[0]!.headers)).toThrow();
    const event = body(calls[0]!);
    expect(event.type).toBe('message.received');
    expect(new Date(event.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(event.data).toMatchObject({
      mailbox: { name: 'INBOX' },
      from: { name: 'Bruna', address: 'bruna@paulolopes.fr' },
      subject: 'retry path',
      messageIdHeader: '<retrypath@paulolopes.fr>',
    });
    // The message it names is ana's, and readable through the API.
    expect((await ana.http.request('GET', `/api/v1/messages/${event.data.messageId}`)).status).toBe(200);

    // The 200 ended it: nothing more comes, and the history shows the three attempts.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(mine()).toHaveLength(3);
    const list = await ana.http.json<WebhookDeliveryList>('GET', `/api/v1/webhooks/${hook.id}/deliveries`);
    expect(list.deliveries).toHaveLength(1);
    const d = list.deliveries[0]!;
    expect(d).toMatchObject({ eventId: id.slice(4), eventType: 'message.received', status: 'succeeded', attemptCount: 3, lastStatusCode: 200, nextAttemptAt: null });
    expect(d.attempts.map((a) => a.statusCode)).toEqual([500, 503, 200]);
    for (const a of d.attempts) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    // The receiver's body is never shown.
    expect(JSON.stringify(list)).not.toContain('never show');

    // Redeliver: one more request with the same webhook-id.
    const res = await ana.http.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/${d.id}/redeliver`);
    expect(res.status).toBe(202);
    await receiver.waitFor(() => mine().length === 4);
    expect(mine()[3]!.headers['webhook-id']).toBe(id);
    expect(verifier.verify(mine()[3]!.body, mine()[3]!.headers)).toMatchObject({ type: 'message.received' });
    expect((await ana.http.request('POST', `/api/v1/webhooks/${hook.id}/deliveries/999999/redeliver`)).status).toBe(404);
    await ana.http.request('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  it('message.sent for the sender, message.received for a local recipient (not for the Sent copy or a draft), delivery.deferred with the remote reply', async () => {
    const hook = await ana.http.json<CreatedWebhook>('POST', '/api/v1/webhooks', {
      url: `${receiver.url}?ana`,
      events: ['message.received', 'message.sent', 'delivery.deferred', 'delivery.delivered', 'delivery.bounced'],
    });
    const biaHook = await bia.http.json<CreatedWebhook>('POST', '/api/v1/webhooks', { url: `${receiver.url}?bia`, events: ['message.received'] });
    const forAna = () => receiver.received.filter((r) => tryVerify(hook.secret, r));
    const forBia = () => receiver.received.filter((r) => r.body.includes('sent path') && tryVerify(biaHook.secret, r));

    // No undo-send wait: the local recipient's copy is stored at once, in the accepting transaction.
    await ana.http.json('PATCH', '/api/v1/compose/settings', { undoSendSeconds: 0 });
    expect((await ana.http.request('PUT', '/api/v1/drafts', { to: [{ address: 'bia@ifsc.edu' }], subject: 'a draft only', html: '<p>x</p>' })).status).toBeLessThan(300);
    const sent = await ana.http.request('POST', '/api/v1/messages/send', { to: ['bia@ifsc.edu', 'carlos@down.example'], subject: 'sent path', text: 'hello' });
    expect(sent.status).toBe(201);
    const result = (await sent.json()) as { sentId: string; queueId: string | null };

    await receiver.waitFor(() => forBia().length === 1);
    expect(body(forBia()[0]!)).toMatchObject({ type: 'message.received', data: { subject: 'sent path', mailbox: { name: 'INBOX' } } });
    // The worker tries down.example (nothing listens on port 1): deferred, with the reply.
    await receiver.waitFor(() => forAna().some((r) => body(r).type === 'delivery.deferred'), 20_000);
    const types = forAna().map((r) => body(r).type).sort();
    expect(types).toEqual(['delivery.deferred', 'message.sent']);
    const sentEvent = body(forAna().find((r) => body(r).type === 'message.sent')!);
    expect(sentEvent.data).toMatchObject({ messageId: result.sentId, subject: 'sent path', to: [{ address: 'bia@ifsc.edu' }, { address: 'carlos@down.example' }] });
    expect(sentEvent.data.queueId).toBeTruthy();
    const deferred = body(forAna().find((r) => body(r).type === 'delivery.deferred')!);
    expect(deferred.data).toMatchObject({ recipient: 'carlos@down.example', status: 'deferred', attempts: 1, queueId: sentEvent.data.queueId, sentMessageId: result.sentId });
    expect(String(deferred.data.reply)).toMatch(/connection|ECONNREFUSED/i);
    expect(deferred.data.nextAttemptAt).toBeTruthy();
    // No message.received for ana: her Sent copy and her draft are not received mail.
    expect(receiver.received.filter((r) => tryVerify(hook.secret, r) && body(r).type === 'message.received')).toEqual([]);
    await ana.http.request('DELETE', `/api/v1/webhooks/${hook.id}`);
    await bia.http.request('DELETE', `/api/v1/webhooks/${biaHook.id}`);
  });

  it('a disabled webhook waits, and gets what happened meanwhile once enabled again', async () => {
    const hook = await ana.http.json<CreatedWebhook>('POST', '/api/v1/webhooks', { url: `${receiver.url}?paused`, events: ['message.received'] });
    const mine = () => receiver.received.filter((r) => r.body.includes('while paused') && tryVerify(hook.secret, r));
    await ana.http.json('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: false });
    await smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', 'while paused 1');
    await smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', 'while paused 2');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mine()).toEqual([]);
    await ana.http.json('PATCH', `/api/v1/webhooks/${hook.id}`, { enabled: true });
    await receiver.waitFor(() => mine().length === 2);
    expect(mine().map((r) => body(r).data.subject).sort()).toEqual(['while paused 1', 'while paused 2']);
    await ana.http.request('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  async function waitForDeliveries(http: HttpClient, id: string, predicate: (l: WebhookDeliveryList) => boolean): Promise<WebhookDeliveryList> {
    const until = Date.now() + 10_000;
    for (;;) {
      const list = await http.json<WebhookDeliveryList>('GET', `/api/v1/webhooks/${id}/deliveries`);
      if (predicate(list)) return list;
      if (Date.now() > until) throw new Error(`deliveries: ${JSON.stringify(list)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

function tryVerify(secret: string, r: { body: string; headers: Record<string, string> }): boolean {
  try {
    new Webhook(secret).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
}
