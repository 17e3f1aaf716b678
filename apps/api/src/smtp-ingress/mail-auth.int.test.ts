import { generateKeyPairSync } from 'node:crypto';
import { SmtpTranscript, code, splitTrace } from '@correio/testing';
import { dkimSign } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_RESOLVER } from '../dns/dns-resolver.js';
import type { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// SPF, DKIM and DMARC on receipt, against fixed DNS records (never the network), with the verdicts
// written into Authentication-Results (RFC 8601) and kept with the message.

describe('mail authentication at the MX', () => {
  let t: TestApp;
  let joel: string;
  let dns: StaticDnsResolver;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_HOSTNAME: 'mx.ifsc.edu' });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    dns = t.app.get(DNS_RESOLVER);
    dns.set('paulolopes.fr', { TXT: [['v=spf1 ip4:127.0.0.1 -all']] });
    dns.set('_dmarc.paulolopes.fr', { TXT: [['v=DMARC1; p=reject']] });
    dns.set('sel1._domainkey.paulolopes.fr', { TXT: [[`v=DKIM1; k=rsa; p=${p}`]] });
    dns.set('elsewhere.example', { TXT: [['v=spf1 ip4:192.0.2.1 -all']] });
    dns.set('_dmarc.elsewhere.example', { TXT: [['v=DMARC1; p=reject']] });
  });
  afterAll(() => t.close());

  async function send(mailFrom: string, message: string): Promise<{ headers: string; verdicts: Record<string, unknown> }> {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO mail.paulolopes.fr');
    await s.command(`MAIL FROM:<${mailFrom}>`);
    await s.command('RCPT TO:<joel@ifsc.edu>');
    await s.command('DATA');
    s.write(message);
    expect(code(await s.command('.'))).toBe(250);
    s.close();
    const box = (await t.store.listMailboxes(joel)).find((b) => b.specialUse === 'inbox')!;
    const [newest] = await t.store.listMessages(joel, box.id, 1);
    const { raw } = await t.store.getRaw(joel, newest!.id);
    const { rows } = await t.db.pool.query<{ auth_results: Record<string, unknown> }>('SELECT auth_results FROM messages WHERE account_id = $1 AND id = $2', [
      joel,
      newest!.id,
    ]);
    return { headers: splitTrace(raw).trace.join('\r\n'), verdicts: rows[0]!.auth_results };
  }

  it('passes SPF, DKIM and DMARC for a signed message from an authorized address', async () => {
    const body = 'From: Bruna <bruna@paulolopes.fr>\r\nTo: joel@ifsc.edu\r\nSubject: assinado\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <a1@paulolopes.fr>\r\n\r\nOlá!\r\n';
    const { signatures } = await dkimSign(body, { signTime: new Date(), signatureData: [{ signingDomain: 'paulolopes.fr', selector: 'sel1', privateKey: pem }] } as never);
    const { headers, verdicts } = await send('bruna@paulolopes.fr', signatures + body);
    expect(headers).toMatch(/^Authentication-Results: mx\.ifsc\.edu;/m);
    expect(headers).toMatch(/dkim=pass .*header\.d=paulolopes\.fr/s);
    expect(headers).toMatch(/spf=pass .*smtp\.mailfrom=bruna@paulolopes\.fr/s);
    expect(headers).toMatch(/dmarc=pass .*header\.from=paulolopes\.fr/s);
    expect(verdicts).toMatchObject({ spf: 'pass', dmarc: 'pass', dkim: [{ domain: 'paulolopes.fr', selector: 'sel1', result: 'pass' }] });
  });

  it('fails DKIM when the signed body was changed, and still stores the message', async () => {
    const body = 'From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: changed\r\n\r\noriginal\r\n';
    const { signatures } = await dkimSign(body, { signTime: new Date(), signatureData: [{ signingDomain: 'paulolopes.fr', selector: 'sel1', privateKey: pem }] } as never);
    const { headers, verdicts } = await send('bruna@paulolopes.fr', signatures + body.replace('original', 'tampered'));
    expect(headers).toMatch(/dkim=(fail|neutral)/);
    expect((verdicts.dkim as { result: string }[])[0]!.result).not.toBe('pass');
  });

  it('fails SPF and DMARC for a sender domain that does not authorize this host', async () => {
    const { headers, verdicts } = await send('ceo@elsewhere.example', 'From: ceo@elsewhere.example\r\nSubject: wire money\r\n\r\nnow\r\n');
    expect(headers).toMatch(/spf=fail/);
    expect(headers).toMatch(/dmarc=fail/);
    expect(headers).toMatch(/^Received-SPF: fail/m);
    expect(verdicts).toMatchObject({ spf: 'fail', dmarc: 'fail' });
  });

  it("names the client in Received by its PTR record from the replaceable resolver", async () => {
    dns.set('1.0.0.127.in-addr.arpa', { PTR: ['relay.paulolopes.fr'] });
    const { headers } = await send('bruna@paulolopes.fr', 'From: bruna@paulolopes.fr\r\nSubject: ptr\r\n\r\nhi\r\n');
    expect(headers).toMatch(/^Received: from mail\.paulolopes\.fr \(relay\.paulolopes\.fr \[127\.0\.0\.1\]\)/m);
  });

  it('answers none for a domain without records, asking only the fixed resolver', async () => {
    const { verdicts } = await send('x@unknown.example', 'From: x@unknown.example\r\nSubject: hi\r\n\r\nhi\r\n');
    expect(verdicts).toMatchObject({ spf: 'none', dmarc: 'none', dkim: [] });
  });
});
