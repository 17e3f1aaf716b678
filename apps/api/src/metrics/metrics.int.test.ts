import { SmtpTranscript } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

/** Sample values by series, e.g. 'correio_connections_total{listener="mx"}' → 2. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

async function scrape(t: TestApp, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const res = await fetch(`${t.baseUrl}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
}

const v = (m: Map<string, number>, k: string) => m.get(k) ?? 0;

describe('/metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    await t.aliases.addAlias('fwd@ifsc.edu', 'bruna@paulolopes.fr');
  });
  afterAll(() => t.close());

  it('counters move with the traffic: SMTP connection and message, failed login, HTTP requests, queue depth', async () => {
    const before = await scrape(t);
    expect(before.has('correio_queue_depth')).toBe(true);
    expect(v(before, 'correio_queue_depth')).toBe(0);

    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO client.example');
    await s.command('MAIL FROM:<ana@example.org>');
    expect(await s.command('RCPT TO:<joel@ifsc.edu>')).toMatch(/^250/);
    expect(await s.command('RCPT TO:<fwd@ifsc.edu>')).toMatch(/^250/); // forwarded: one queued recipient
    await s.command('DATA');
    s.write('Subject: counted\r\n\r\nhello\r\n');
    expect(await s.command('.')).toMatch(/^250/);
    s.close();
    expect((await new HttpClient(t.baseUrl).login('joel@ifsc.edu', 'wrong-password')).status).toBe(401);

    const after = await scrape(t);
    expect(v(after, 'correio_messages_received_total') - v(before, 'correio_messages_received_total')).toBe(1);
    expect(v(after, 'correio_connections_total{listener="mx"}') - v(before, 'correio_connections_total{listener="mx"}')).toBe(1);
    expect(v(after, 'correio_login_failures_total') - v(before, 'correio_login_failures_total')).toBe(1);
    // The first scrape and the login (401) were answered before this scrape.
    expect(v(after, 'correio_http_requests_total{method="GET",status="2xx"}') - v(before, 'correio_http_requests_total{method="GET",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(v(after, 'correio_http_requests_total{method="POST",status="4xx"}') - v(before, 'correio_http_requests_total{method="POST",status="4xx"}')).toBe(1);
    expect(v(after, 'correio_queue_depth')).toBe(1);
    expect(v(after, 'correio_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(v(after, 'correio_queue_oldest_age_seconds')).toBeLessThan(60);
  });

  it('is not fooled by X-Forwarded-For (the socket address decides) and needs no session', async () => {
    await scrape(t, { 'x-forwarded-for': '203.0.113.9' });
  });
});

describe('/metrics with CORREIO_METRICS_TOKEN', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_METRICS_TOKEN: 'a-long-scrape-token-0123' });
  });
  afterAll(() => t.close());

  it('wants the bearer token', async () => {
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer a-long-scrape-token-0124' } })).status).toBe(401);
    await scrape(t, { authorization: 'Bearer a-long-scrape-token-0123' });
  });
});
