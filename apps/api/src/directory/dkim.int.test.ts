import { authenticate, dkimSign } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Every domain gets DKIM keys at creation (RSA 2048 + Ed25519); the records the admin publishes
// must verify signatures made with the stored private keys.

describe('DKIM keys of a domain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'paulolopes.fr' });
  });
  afterAll(() => t.close());

  it('creates an RSA and an Ed25519 key with the domain, and lists the records to publish', async () => {
    await t.directory.addDomain('ifsc.edu');
    const records = await t.directory.dnsRecords('ifsc.edu', 'mx.ifsc.edu');
    expect(records.map((r) => `${r.type} ${r.name}`)).toEqual([
      'MX ifsc.edu',
      'TXT ifsc.edu',
      'TXT _dmarc.ifsc.edu',
      expect.stringMatching(/^TXT c\d{6}r\._domainkey\.ifsc\.edu$/),
      expect.stringMatching(/^TXT c\d{6}e\._domainkey\.ifsc\.edu$/),
    ]);
    const rsa = records[3]!;
    expect(rsa.value).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}={0,2}$/);
    // A 2048-bit key does not fit one 255-byte TXT string: the zone line splits it.
    expect(rsa.zone).toMatch(/^c\d{6}r\._domainkey\.ifsc\.edu\. IN TXT "[^"]{255}" "[^"]+"$/);
    expect(records[4]!.value).toMatch(/^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
  });

  it('signs with the stored keys so that a verifier reading the published records says pass', async () => {
    await t.directory.addAccount({ address: 'bruna@escola.example', password: 'bruna-password' }); // domain made on first use
    const message = 'From: bruna@escola.example\r\nTo: joel@ifsc.edu\r\nSubject: assinado\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nOlá!\r\n';
    const signers = await t.directory.dkimSigners('escola.example');
    expect(signers).toHaveLength(2);
    const { signatures } = await dkimSign(message, { signTime: new Date(), signatureData: signers } as never); // see DeliveryWorker.sign
    const zone = new StaticDnsResolver();
    for (const r of await t.directory.dnsRecords('escola.example', 'mx.escola.example')) {
      if (r.name.includes('._domainkey.')) zone.set(r.name, { TXT: [r.value.match(/.{1,255}/g)!] });
    }
    const result = await authenticate(signatures + message, {
      ip: '127.0.0.1',
      helo: 'mx.escola.example',
      sender: 'bruna@escola.example',
      mta: 'mx.ifsc.edu',
      resolver: (name: string, type: string) => zone.resolve(name, type) as Promise<string[]>,
      disableBimi: true,
    });
    const verdicts = result.dkim.results.map((r) => `${r.selector}:${r.status?.result}`);
    expect(verdicts).toEqual([expect.stringMatching(/^c\d{6}r:pass$/), expect.stringMatching(/^c\d{6}e:pass$/)]);
  });

  it('gives a domain made before keys existed its keys on first request', async () => {
    await t.directory.addDomain('old.example');
    await t.db.pool.query("DELETE FROM dkim_keys WHERE domain_id = (SELECT id FROM domains WHERE name = 'old.example')");
    expect(await t.directory.dkimSigners('old.example')).toEqual([]);
    const records = await t.directory.dnsRecords('old.example', 'mx.old.example');
    expect(records.filter((r) => r.name.includes('._domainkey.'))).toHaveLength(2);
    expect(await t.directory.dkimSigners('old.example')).toHaveLength(2);
  });
});
