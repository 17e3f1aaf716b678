import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, freePort, startApiProcess } from '@correio/testing';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';

// The lecture's scenario end to end, with two independent Correio instances on one machine:
// Bruna (paulolopes.fr) submits over SMTP submission to her server; its queue and delivery worker
// open an SMTP connection to Joel's server (ifsc.edu) through a static transport map; Joel's server
// stores it in his INBOX and verifies the DKIM signature Bruna's server added.

async function login(api: ApiProcess, address: string, password: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${api.httpPort}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address, password }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function mailbox(api: ApiProcess, cookie: string, specialUse: string): Promise<{ id: string; subject: string }[]> {
  const base = `http://127.0.0.1:${api.httpPort}/api/v1`;
  const boxes = (await (await fetch(`${base}/mailboxes`, { headers: { cookie } })).json()) as { items: { id: string; specialUse: string }[] };
  const box = boxes.items.find((b) => b.specialUse === specialUse)!;
  return ((await (await fetch(`${base}/mailboxes/${box.id}/messages`, { headers: { cookie } })).json()) as { items: { id: string; subject: string }[] }).items;
}

describe('Bruna writes to Joel on another server', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('goes from her submission to his INBOX, DKIM-signed and verified, with a copy in her Sent', async () => {
    const dirA = mkdtempSync(path.join(tmpdir(), 'correio-a-'));
    const dirB = mkdtempSync(path.join(tmpdir(), 'correio-b-'));
    cleanups.push(async () => {
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    });
    const mxA = await freePort();
    const mxB = await freePort();
    const common = { DATABASE_URL: undefined, CORREIO_ROLES: 'http,smtp,delivery' };

    const a = await startApiProcess({
      ...common,
      CORREIO_DATA_DIR: dirA,
      CORREIO_SMTP_PORT: String(mxA),
      CORREIO_HOSTNAME: 'mail.paulolopes.fr',
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_ADMIN_ADDRESS: 'bruna@paulolopes.fr',
      CORREIO_ADMIN_PASSWORD: 'bruna-password',
      CORREIO_TRANSPORT_MAP: `ifsc.edu=127.0.0.1:${mxB}`,
    });
    cleanups.push(async () => void (await a.stop()));
    const brunaCookie = await login(a, 'bruna@paulolopes.fr', 'bruna-password');

    // Joel's server knows paulolopes.fr's DNS: its DKIM keys as Bruna's admin would publish them,
    // and an SPF record for this machine (fixed records: no network).
    const dns = (await (
      await fetch(`http://127.0.0.1:${a.httpPort}/api/v1/admin/domains/paulolopes.fr/dns`, { headers: { cookie: brunaCookie } })
    ).json()) as { records: { name: string; type: string; value: string }[] };
    const zone: Record<string, Record<string, unknown[]>> = { 'paulolopes.fr': { TXT: [['v=spf1 ip4:127.0.0.1 -all']] } };
    for (const r of dns.records.filter((x) => x.name.includes('._domainkey.'))) zone[r.name] = { TXT: [r.value.match(/.{1,255}/g)!] };
    const zoneFile = path.join(dirB, 'zone.json');
    writeFileSync(zoneFile, JSON.stringify(zone));

    const b = await startApiProcess({
      ...common,
      CORREIO_DATA_DIR: dirB,
      CORREIO_SMTP_PORT: String(mxB),
      CORREIO_HOSTNAME: 'mail.ifsc.edu',
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
      CORREIO_TRANSPORT_MAP: `paulolopes.fr=127.0.0.1:${mxA}`,
      CORREIO_DNS_RECORDS: zoneFile,
    });
    cleanups.push(async () => void (await b.stop()));

    const info = await nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: a.submissionPort,
        requireTLS: true,
        auth: { user: 'bruna@paulolopes.fr', pass: 'bruna-password' },
        tls: { rejectUnauthorized: false },
      })
      .sendMail({ from: 'Bruna <bruna@paulolopes.fr>', to: 'joel@ifsc.edu', subject: 'Joel você consegue me ajudar?', text: 'Minha linha é discada.' });
    expect(info.response).toMatch(/^250 /);

    const joelCookie = await login(b, 'joel@ifsc.edu', 'joel-password');
    let inbox: { id: string; subject: string }[] = [];
    for (let i = 0; i < 100 && inbox.length === 0; i++) {
      inbox = await mailbox(b, joelCookie, 'inbox');
      if (inbox.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(inbox.map((m) => m.subject)).toEqual(['Joel você consegue me ajudar?']);
    const raw = await (await fetch(`http://127.0.0.1:${b.httpPort}/api/v1/messages/${inbox[0]!.id}/raw`, { headers: { cookie: joelCookie } })).text();
    // Both of Bruna's domain keys (RSA and Ed25519) verified by Joel's server.
    expect(raw).toMatch(/^Authentication-Results: mail\.ifsc\.edu;/m);
    expect(raw.match(/dkim=pass header\.i=@paulolopes\.fr/g)).toHaveLength(2);
    // The hop between the servers used opportunistic STARTTLS.
    expect(raw).toMatch(/by mail\.ifsc\.edu \(Correio\)\r\n\twith ESMTPS /);
    expect(raw).toMatch(/spf=pass/);
    expect(raw).toMatch(/dmarc=none|dmarc=pass/);
    const detail = (await (await fetch(`http://127.0.0.1:${b.httpPort}/api/v1/messages/${inbox[0]!.id}`, { headers: { cookie: joelCookie } })).json()) as {
      text: string;
      from: { address: string };
    };
    expect(detail.text.trim()).toBe('Minha linha é discada.');
    expect(detail.from.address).toBe('bruna@paulolopes.fr');
    expect((await mailbox(a, brunaCookie, 'sent')).map((m) => m.subject)).toEqual(['Joel você consegue me ajudar?']);
  });
});
