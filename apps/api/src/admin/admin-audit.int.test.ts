import type { AuditList } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

describe('admin audit log', () => {
  let t: TestApp;
  let admin: HttpClient;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu', CORREIO_HOSTNAME: 'mx.ifsc.edu' });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(() => t.close());

  it('records each successful admin action with who, what, target and where from; a failed one not', async () => {
    expect((await admin.request('POST', '/api/v1/admin/domains', { name: 'Example.ORG' })).status).toBe(201);
    expect((await admin.request('PUT', '/api/v1/admin/domains/example.org/catch-all', { address: 'joel@ifsc.edu' })).status).toBe(204);
    expect((await admin.request('DELETE', '/api/v1/admin/domains/nope.example')).status).toBe(404);
    expect((await admin.request('DELETE', '/api/v1/admin/domains/example.org')).status).toBe(204);

    const all = await admin.json<AuditList>('GET', '/api/v1/admin/audit');
    expect(all.entries.map((e) => [e.action, e.target])).toEqual([
      ['domain.remove', 'example.org'],
      ['domain.catch-all', 'example.org'],
      ['domain.create', 'example.org'],
    ]);
    const [removed] = all.entries;
    expect(removed).toMatchObject({ actorAddress: 'root@ifsc.edu', ip: '127.0.0.1' });
    expect(removed!.actorId).toMatch(/^\d+$/);
    expect(Date.now() - Date.parse(removed!.at)).toBeLessThan(60_000);
    expect(all.entries[1]!.details).toMatchObject({ address: 'joel@ifsc.edu' });
  });

  it('filters by action and actor, and pages by cursor', async () => {
    const creates = await admin.json<AuditList>('GET', '/api/v1/admin/audit?action=domain.create');
    expect(creates.entries.map((e) => e.action)).toEqual(['domain.create']);
    expect((await admin.json<AuditList>('GET', '/api/v1/admin/audit?actor=joel@ifsc.edu')).entries).toEqual([]);
    const p1 = await admin.json<AuditList>('GET', '/api/v1/admin/audit?actor=ROOT@ifsc.edu&limit=2');
    expect(p1.entries).toHaveLength(2);
    const p2 = await admin.json<AuditList>('GET', `/api/v1/admin/audit?actor=root@ifsc.edu&limit=2&cursor=${p1.nextCursor}`);
    expect(p2.entries.map((e) => e.action)).toEqual(['domain.create']);
    expect(p2.nextCursor).toBeNull();
    expect((await admin.request('GET', '/api/v1/admin/audit?limit=0')).status).toBe(400);
  });

  it('is insert-only: UPDATE, DELETE and TRUNCATE are refused, even for the table owner', async () => {
    await expect(t.db.pool.query(`UPDATE admin_audit SET action = 'x'`)).rejects.toThrow(/insert-only/);
    await expect(t.db.pool.query(`DELETE FROM admin_audit`)).rejects.toThrow(/insert-only/);
    await expect(t.db.pool.query(`TRUNCATE admin_audit`)).rejects.toThrow(/insert-only/);
    const { rows } = await t.db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM admin_audit`);
    expect(rows[0]!.n).toBe('3');
  });

  it('answers 403 to a user without the admin role', async () => {
    const user = new HttpClient(t.baseUrl);
    await user.login('joel@ifsc.edu', 'joel-password');
    expect((await user.request('GET', '/api/v1/admin/audit')).status).toBe(403);
    expect((await user.request('POST', '/api/v1/admin/domains', { name: 'evil.example' })).status).toBe(403);
  });
});
