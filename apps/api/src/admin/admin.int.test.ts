import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

describe('admin REST API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu', CORREIO_HOSTNAME: 'mx.ifsc.edu' });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
  });
  afterAll(() => t.close());

  it('gives an admin the DNS records of a domain, DKIM keys included', async () => {
    const admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
    const body = await admin.json<{ domain: string; records: { name: string; type: string; value: string }[] }>(
      'GET',
      '/api/v1/admin/domains/ifsc.edu/dns',
    );
    expect(body.records[0]).toMatchObject({ type: 'MX', name: 'ifsc.edu', value: '10 mx.ifsc.edu.' });
    expect(body.records.filter((r) => /\._domainkey\.ifsc\.edu$/.test(r.name))).toHaveLength(2);
    expect((await admin.request('GET', '/api/v1/admin/domains/nope.example/dns')).status).toBe(404);
    const list = await admin.json<{ name: string }[]>('GET', '/api/v1/admin/domains');
    expect(list.map((d) => d.name)).toContain('ifsc.edu');
  });

  it('refuses a user without the admin role (403) and a visitor without a session (401)', async () => {
    const user = new HttpClient(t.baseUrl);
    await user.login('joel@ifsc.edu', 'joel-password');
    expect((await user.request('GET', '/api/v1/admin/domains/ifsc.edu/dns')).status).toBe(403);
    expect((await new HttpClient(t.baseUrl).request('GET', '/api/v1/admin/domains')).status).toBe(401);
  });
});
