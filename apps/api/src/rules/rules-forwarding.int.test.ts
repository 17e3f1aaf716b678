import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@correio/testing';
import { authenticate } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { findCopies, queuedWith, sendToMx, waitFor } from './rules-test-helpers.js';

const SECRET = 'forwarding-test-secret-0123456789';

// Forwarding across two Correio instances: A (a.test) forwards fwd@a.test's mail to dest@b.test.
// B's MX verifies with mailauth what arrives: SPF passes for A's SRS0 sender (the original sender's
// SPF would fail from here), and A's ARC seal verifies. A bounce to the SRS0 address comes back to
// A and is forwarded to the original sender.
describe('forwarding with SRS and ARC to a second instance', () => {
  let a: TestApp;
  let b: TestApp;
  let dir: string;
  let fwd: string;
  let dest: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'correio-rules-fwd-'));
    const mxB = await freePort();
    a = await startTestApp({
      CORREIO_DOMAIN: 'a.test',
      CORREIO_HOSTNAME: 'mx.a.test',
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_SRS_SECRET: SECRET,
      CORREIO_TRANSPORT_MAP: `b.test=127.0.0.1:${mxB},orig.test=127.0.0.1:${mxB}`,
      CORREIO_DELIVERY_ALLOW_PRIVATE: 'true',
    });
    fwd = (await a.directory.addAccount({ address: 'fwd@a.test', password: 'fwd-password' })).id;
    const zone: Record<string, Record<string, unknown[]>> = {
      // A's mail server is this machine; the original sender's domain allows only another host.
      'a.test': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] },
      'orig.test': { TXT: [['v=spf1 ip4:192.0.2.1 -all']] },
      '_dmarc.orig.test': { TXT: [['v=DMARC1; p=reject']] },
    };
    for (const r of await a.directory.dnsRecords('a.test', 'mx.a.test'))
      if (r.name.includes('._domainkey.')) zone[r.name] = { TXT: [r.value.match(/.{1,255}/g)!] };
    const zoneFile = path.join(dir, 'zone.json');
    writeFileSync(zoneFile, JSON.stringify(zone));
    b = await startTestApp({
      CORREIO_DOMAIN: 'b.test',
      CORREIO_HOSTNAME: 'mx.b.test',
      CORREIO_SMTP_PORT: String(mxB),
      CORREIO_DNS_RECORDS: zoneFile,
      CORREIO_SRS_SECRET: 'another-secret-for-b-000000',
    });
    dest = (await b.directory.addAccount({ address: 'dest@b.test', password: 'dest-password' })).id;
    await b.directory.addDomain('orig.test');
    await b.directory.addAccount({ address: 'bob@orig.test', password: 'bob-password' });
    const api = new HttpClient(a.baseUrl);
    expect((await api.login('fwd@a.test', 'fwd-password')).status).toBe(200);
    await api.json('PUT', '/api/v1/forwarding', { enabled: true, addresses: ['dest@b.test'], keepCopy: true });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('arrives with SPF pass for the SRS sender and a valid ARC chain; a copy stays at A', async () => {
    expect(await sendToMx(a.smtpPort!, { from: 'bob@orig.test', to: ['fwd@a.test'], subject: 'forward me' })).toEqual([
      220, 250, 250, 250, 354, 250,
    ]);
    expect((await findCopies(a, fwd, 'forward me')).map((c) => c.mailbox)).toEqual(['inbox']);
    const copies = await waitFor(
      () => findCopies(b, dest, 'forward me'),
      (c) => c.length > 0,
    );
    expect(copies.map((c) => c.mailbox)).toEqual(['inbox']);
    const inbox = (await b.store.listMailboxes(dest)).find((m) => m.specialUse === 'inbox')!;
    const msg = (await b.store.listMessages(dest, inbox.id, 10)).find((m) => m.subject === 'forward me')!;
    const { raw } = await b.store.getRaw(dest, msg.id);
    const text = raw.toString();
    const results = text.slice(0, text.indexOf('\r\nReceived:'));
    expect(results).toMatch(/^Authentication-Results: mx\.b\.test;/m);
    expect(results).toMatch(/spf=pass[^;]*smtp\.mailfrom="?SRS0=[^=]{4}=[A-Z2-7]{2}=orig\.test=bob@a\.test/);
    expect(results).toMatch(/arc=pass/);
    // DMARC for orig.test fails after any forward; the ARC result is what lets B (or Gmail) trust it.
    expect(results).toMatch(/dmarc=fail \(p=REJECT arc=pass\)/);
    expect(text).toMatch(/\r\nDelivered-To: fwd@a\.test\r\n/);
    // And mailauth itself, on the bytes B stored, with B's records: the seal A made verifies.
    const zone = JSON.parse((await import('node:fs')).readFileSync(path.join(dir, 'zone.json'), 'utf8')) as Record<
      string,
      Record<string, string[][]>
    >;
    const resolver = async (name: string, type: string) => {
      const r = zone[name.toLowerCase()]?.[type];
      if (!r) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
      return r;
    };
    const verdict = await authenticate(raw, { ip: '127.0.0.1', helo: 'mx.a.test', sender: 'x@a.test', mta: 'check', resolver } as never);
    expect((verdict as { arc: { status: { result: string } } }).arc.status.result).toBe('pass');
  });

  it('a bounce to the SRS0 address goes back to the original sender', async () => {
    const q = await queuedWith(a, 'Subject: forward me');
    const srs = q[0]!.envelopeFrom;
    expect(await sendToMx(a.smtpPort!, { from: '', to: [srs], subject: 'Undelivered Mail Returned to Sender' })).toEqual([
      220, 250, 250, 250, 354, 250,
    ]);
    const bob = (await b.directory.findAccount('bob@orig.test'))!.id;
    const got = await waitFor(
      () => findCopies(b, bob, 'Undelivered Mail Returned to Sender'),
      (c) => c.length > 0,
    );
    expect(got).toHaveLength(1);
    // A forged or unknown SRS0 address is an unknown recipient.
    const forged = srs.replace(/^SRS0=[^=]{4}=/, 'SRS0=AAAA=');
    expect(await sendToMx(a.smtpPort!, { from: '', to: [forged], subject: 'forged' }).catch(() => [0])).not.toContain(354);
  });
});

describe('a forwarding loop between two accounts', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'loop.test', CORREIO_ROLES: 'http,smtp,delivery', CORREIO_SRS_SECRET: SECRET });
  });
  afterAll(() => t?.close());

  it('is stopped: the mail is kept at the account that sees it come back, not bounced around', async () => {
    const one = (await t.directory.addAccount({ address: 'one@loop.test', password: 'one-password' })).id;
    const two = (await t.directory.addAccount({ address: 'two@loop.test', password: 'two-password' })).id;
    for (const [me, other] of [
      ['one', 'two'],
      ['two', 'one'],
    ] as const) {
      const api = new HttpClient(t.baseUrl);
      expect((await api.login(`${me}@loop.test`, `${me}-password`)).status).toBe(200);
      await api.json('PUT', '/api/v1/forwarding', { enabled: true, addresses: [`${other}@loop.test`], keepCopy: false });
    }
    expect(await sendToMx(t.smtpPort!, { from: 'bob@remote.example', to: ['one@loop.test'], subject: 'round and round' })).toEqual([
      220, 250, 250, 250, 354, 250,
    ]);
    const kept = await waitFor(
      () => findCopies(t, one, 'round and round'),
      (c) => c.length > 0,
    );
    expect(kept.map((c) => c.mailbox)).toEqual(['inbox']);
    // Settle: nothing more is queued or delivered after the loop was cut.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await findCopies(t, two, 'round and round')).toEqual([]);
    expect((await findCopies(t, one, 'round and round')).length).toBe(1);
    const q = await queuedWith(t, 'Subject: round and round');
    expect(q.map((r) => [r.address, r.state])).toEqual([
      ['two@loop.test', 'delivered'],
      ['one@loop.test', 'delivered'],
    ]);
  });
});
