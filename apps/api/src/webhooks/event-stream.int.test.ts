import { SmtpTranscript, SseClient } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Issue 13 item 5 over real HTTP: GET /api/v1/events as server-sent events, resumed with
// Last-Event-ID without a gap or a duplicate, while mail arrives concurrently over SMTP.

async function smtpDeliver(port: number, to: string, subject: string): Promise<void> {
  const s = await SmtpTranscript.connect(port);
  try {
    await s.read();
    await s.command('EHLO client.example');
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    await s.command(`RCPT TO:<${to}>`);
    await s.command('DATA');
    s.write(`From: bruna@paulolopes.fr\r\nTo: ${to}\r\nSubject: ${subject}\r\n\r\nhello\r\n`);
    expect(await s.command('.')).toMatch(/^250 /);
  } finally {
    s.close();
  }
}

const subjectOf = (e: { data: string }) => (JSON.parse(e.data) as { data: { subject: string } }).data.subject;

describe('GET /api/v1/events (server-sent events)', () => {
  let t: TestApp;
  let ana: HttpClient;
  let bia: HttpClient;
  let cookieOf: (c: HttpClient) => Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    ana = new HttpClient(t.baseUrl);
    bia = new HttpClient(t.baseUrl);
    await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' });
    await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' });
    expect((await ana.login('ana@ifsc.edu', 'ana-password')).status).toBe(200);
    expect((await bia.login('bia@ifsc.edu', 'bia-password')).status).toBe(200);
    cookieOf = (c) => ({ cookie: (c as unknown as { cookie: string }).cookie });
  });
  afterAll(() => t?.close());

  it('needs a session', async () => {
    expect((await fetch(`${t.baseUrl}/api/v1/events`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/v1/events?after=abc`, { headers: cookieOf(ana) })).status).toBe(400);
  });

  it('streams new mail with ids, mailbox changes without, and resumes after Last-Event-ID with nothing missing or repeated', async () => {
    const first = await SseClient.open(`${t.baseUrl}/api/v1/events`, cookieOf(ana));
    expect(first.status).toBe(200);
    const other = await SseClient.open(`${t.baseUrl}/api/v1/events`, cookieOf(bia));
    await first.waitFor((c) => c.comments > 0); // ": connected"
    for (let i = 1; i <= 3; i++) await smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', `live ${i}`);
    await first.waitFor((c) => c.outbox.length === 3);
    expect(first.outbox.map(subjectOf)).toEqual(['live 1', 'live 2', 'live 3']);
    expect(first.outbox.every((e) => e.event === 'message.received' && /^\d+$/.test(e.id!))).toBe(true);
    const changes = first.events.filter((e) => e.event === 'mailbox.changed');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(changes[0]!.id).toBeUndefined();
    expect(JSON.parse(changes[0]!.data)).toMatchObject({ type: 'mailbox.changed', data: { change: 'exists' } });

    // A flag change made elsewhere (here: the REST API) is a mailbox.changed event.
    const messageId = (JSON.parse(first.outbox[0]!.data) as { data: { messageId: string } }).data.messageId;
    expect((await ana.request('PATCH', `/api/v1/messages/${messageId}`, { seen: true })).status).toBe(200);
    await first.waitFor((c) => c.events.some((e) => e.event === 'mailbox.changed' && e.data.includes('"change":"flags"')));
    const lastSeen = first.outbox[2]!.id!;
    await first.close();

    // While no stream is open, more mail arrives, from ten concurrent sessions.
    await Promise.all(Array.from({ length: 10 }, (_, i) => smtpDeliver(t.smtpPort!, 'ana@ifsc.edu', `away ${i}`)));
    const resumed = await SseClient.open(`${t.baseUrl}/api/v1/events`, { ...cookieOf(ana), 'last-event-id': lastSeen });
    await resumed.waitFor((c) => c.outbox.length >= 10);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.outbox.map(subjectOf).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `away ${i}`).sort());

    // ?after=0 replays every kept event; the ids of the two connections together are exactly those.
    const replay = await SseClient.open(`${t.baseUrl}/api/v1/events?after=0`, cookieOf(ana));
    await replay.waitFor((c) => c.outbox.length >= 13);
    expect(replay.outbox.map((e) => e.id)).toEqual([...first.outbox, ...resumed.outbox].map((e) => e.id));
    await resumed.close();
    await replay.close();
    // bia saw none of ana's events.
    expect(other.outbox).toEqual([]);
    expect(other.events.filter((e) => e.event === 'mailbox.changed')).toEqual([]);
    await other.close();
  });

  it('a shutdown ends the open streams instead of waiting for their clients', async () => {
    const other = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    try {
      await other.directory.addAccount({ address: 'cai@ifsc.edu', password: 'cai-password' });
      const cai = new HttpClient(other.baseUrl);
      expect((await cai.login('cai@ifsc.edu', 'cai-password')).status).toBe(200);
      const stream = await SseClient.open(`${other.baseUrl}/api/v1/events`, cookieOf(cai));
      await stream.waitFor((c) => c.comments > 0);
      const started = Date.now();
      await other.close();
      expect(Date.now() - started).toBeLessThan(15_000);
      await stream.close();
    } catch (err) {
      await other.close().catch(() => {});
      throw err;
    }
  }, 30_000);

  it('reconnecting again and again while mail arrives concurrently misses nothing and repeats nothing', async () => {
    const total = 60;
    const got: string[] = [];
    let lastId: string | undefined;
    let sent = 0;
    const sender = (async () => {
      const next = async () => {
        for (let n = sent++; n < total; n = sent++) await smtpDeliver(t.smtpPort!, 'bia@ifsc.edu', `burst ${n}`);
      };
      await Promise.all(Array.from({ length: 6 }, next));
    })();
    let done = false;
    void sender.then(() => (done = true));
    while (!done || got.length < total) {
      const c = await SseClient.open(`${t.baseUrl}/api/v1/events`, { ...cookieOf(bia), ...(lastId ? { 'last-event-id': lastId } : { 'last-event-id': '0' }) });
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      await c.close();
      for (const e of c.outbox) {
        if (!subjectOf(e).startsWith('burst')) continue;
        got.push(subjectOf(e));
      }
      if (c.outbox.length) lastId = c.outbox[c.outbox.length - 1]!.id;
      if (done && got.length < total) await new Promise((r) => setTimeout(r, 50));
      if (got.length > total) break;
    }
    expect(got.length).toBe(total);
    expect(new Set(got).size).toBe(total);
  }, 60_000);
});
