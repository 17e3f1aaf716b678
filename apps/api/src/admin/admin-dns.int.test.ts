import type { DomainDnsCheck, DomainDnsRecords } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryService } from '../directory/directory.service.js';
import { DNS_RESOLVER } from '../dns/dns-resolver.js';
import type { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The DNS records to publish, the live check through the project's resolver (fixed records the
// test changes) and DKIM rotation, over real HTTP.
describe('admin domain DNS: records, live check, DKIM rotation', () => {
  let t: TestApp;
  let admin: HttpClient;
  let dns: StaticDnsResolver;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu', CORREIO_HOSTNAME: 'mx.ifsc.edu' });
    dns = t.app.get(DNS_RESOLVER);
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
    expect((await admin.request('POST', '/api/v1/admin/domains', { name: 'example.org' })).status).toBe(201);
  });
  afterAll(() => t.close());

  const records = () => admin.json<DomainDnsRecords>('GET', '/api/v1/admin/domains/example.org/dns');
  const check = () => admin.json<DomainDnsCheck>('GET', '/api/v1/admin/domains/example.org/dns/check');
  const dkimOf = (r: DomainDnsRecords) => r.records.filter((x) => x.name.endsWith('._domainkey.example.org'));

  it('lists the needed records and the optional MTA-STS, TLS-RPT and RFC 6186 SRV records, implicit TLS first', async () => {
    const r = await records();
    const needed = r.records.filter((x) => !x.optional).map((x) => `${x.type} ${x.name}`);
    expect(needed.slice(0, 3)).toEqual(['MX example.org', 'TXT example.org', 'TXT _dmarc.example.org']);
    expect(dkimOf(r)).toHaveLength(2);
    const srv = Object.fromEntries(r.records.filter((x) => x.type === 'SRV').map((x) => [x.name, x.value]));
    expect(srv).toEqual({
      '_imaps._tcp.example.org': '0 1 993 mx.ifsc.edu.',
      '_imap._tcp.example.org': '10 1 143 mx.ifsc.edu.',
      '_pop3s._tcp.example.org': '0 1 995 mx.ifsc.edu.',
      '_pop3._tcp.example.org': '10 1 110 mx.ifsc.edu.',
      '_submissions._tcp.example.org': '0 1 465 mx.ifsc.edu.',
      '_submission._tcp.example.org': '10 1 587 mx.ifsc.edu.',
    });
    expect(r.records.find((x) => x.name === '_mta-sts.example.org')).toMatchObject({ type: 'TXT', optional: true });
    expect(r.records.find((x) => x.name === '_smtp._tls.example.org')?.value).toBe('v=TLSRPTv1; rua=mailto:postmaster@example.org');
  });

  it('marks each record missing, different or published by what DNS answers now, with the fix', async () => {
    const before = await check();
    expect(new Set(before.records.map((x) => x.status))).toEqual(new Set(['missing']));
    expect(before.records[0]!.fix).toContain('example.org. IN MX 10 mx.ifsc.edu.');

    const r = await records();
    const [rsa] = dkimOf(r);
    dns.set('example.org', { MX: [{ exchange: 'mx.ifsc.edu', priority: 5 }], TXT: [['v=spf1 a -all'], ['google-site-verification=x']] });
    dns.set(rsa!.name, { TXT: [rsa!.value.match(/.{1,255}/g)!] });
    dns.set('_imaps._tcp.example.org', { SRV: [{ name: 'mx.ifsc.edu', port: 993, priority: 0, weight: 1 }] });
    dns.set('_dmarc.example.org', { TXT: [['v=DMARC1;p=quarantine;rua=mailto:postmaster@example.org']] });

    const after = new Map((await check()).records.map((x) => [`${x.type} ${x.name}`, x]));
    expect(after.get('MX example.org')!.status).toBe('published');
    const spf = after.get('TXT example.org')!;
    expect(spf).toMatchObject({ status: 'different', found: ['v=spf1 a -all', 'google-site-verification=x'] });
    expect(spf.fix).toContain('"v=spf1 a -all"');
    expect(spf.fix).toContain('v=spf1 mx -all');
    expect(after.get(`TXT ${rsa!.name}`)!.status).toBe('published');
    expect(after.get('TXT _dmarc.example.org')!.status).toBe('published');
    expect(after.get('SRV _imaps._tcp.example.org')!.status).toBe('published');
    expect(after.get('SRV _pop3s._tcp.example.org')!.status).toBe('missing');
  });

  it('rotates DKIM: new selectors published beside the old, signing only after the old are retired', async () => {
    const directory = t.app.get(DirectoryService);
    const old = dkimOf(await records()).map((x) => x.name);
    const signingBefore = (await directory.dkimSigners('example.org')).map((s) => s.selector);

    const rotated = await admin.json<DomainDnsRecords>('POST', '/api/v1/admin/domains/example.org/dkim/rotate', {});
    const both = dkimOf(rotated).map((x) => x.name);
    expect(both).toHaveLength(4);
    expect(both).toEqual(expect.arrayContaining(old));
    expect((await directory.dkimSigners('example.org')).map((s) => s.selector)).toEqual(signingBefore);
    expect((await admin.request('POST', '/api/v1/admin/domains/example.org/dkim/rotate', {})).status).toBe(409);

    const retired = await admin.json<DomainDnsRecords>('POST', '/api/v1/admin/domains/example.org/dkim/retire', {});
    const now = dkimOf(retired).map((x) => x.name);
    expect(now).toHaveLength(2);
    expect(now.some((n) => old.includes(n))).toBe(false);
    const signingAfter = (await directory.dkimSigners('example.org')).map((s) => `${s.selector}._domainkey.example.org`);
    expect(signingAfter.sort()).toEqual([...now].sort());
    expect((await admin.request('POST', '/api/v1/admin/domains/example.org/dkim/retire', {})).status).toBe(409);

    const audit = await admin.json<{ entries: { action: string }[] }>('GET', '/api/v1/admin/audit?action=domain.dkim-rotate');
    expect(audit.entries).toHaveLength(1);
  });

  it('answers 404 for an unknown domain and 403 to a non-admin', async () => {
    expect((await admin.request('GET', '/api/v1/admin/domains/nope.example/dns/check')).status).toBe(404);
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    const user = new HttpClient(t.baseUrl);
    await user.login('joel@ifsc.edu', 'joel-password');
    expect((await user.request('GET', '/api/v1/admin/domains/example.org/dns/check')).status).toBe(403);
    expect((await user.request('GET', '/api/v1/admin/overview')).status).toBe(403);
  });
});
