import { createHash } from 'node:crypto';
import type { ApiKeyList, CreatedApiKey } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningApp } from '../bootstrap/create-app.js';
import { loadConfig } from '../config/load-config.js';
import { type OpenDatabase, openDatabase } from '../database/open-database.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// API keys over real HTTP against a real database (issue 13): created from a session only, used as
// `Authorization: Bearer`, scopes enforced per route, revocation and expiry at once, another
// account's key indistinguishable from a missing one.
describe('API keys: create, use, scopes, revoke', () => {
  let t: TestApp;
  let ana: HttpClient;
  let bia: HttpClient;
  let root: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu' });
    await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password', displayName: 'Ana' });
    await t.directory.addAccount({ address: 'bia@ifsc.edu', password: 'bia-password' });
    ana = new HttpClient(t.baseUrl);
    bia = new HttpClient(t.baseUrl);
    root = new HttpClient(t.baseUrl);
    expect((await ana.login('ana@ifsc.edu', 'ana-password')).status).toBe(200);
    expect((await bia.login('bia@ifsc.edu', 'bia-password')).status).toBe(200);
    expect((await root.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  /** A request carrying only the key: no cookie, no CSRF token. */
  function withKey(key: string, method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(t.baseUrl + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  }

  async function createKey(client: HttpClient, body: Record<string, unknown>): Promise<CreatedApiKey> {
    const res = await client.request('POST', '/api/v1/api-keys', body);
    expect(res.status, await res.clone().text()).toBe(201);
    return (await res.json()) as CreatedApiKey;
  }

  async function expectError(res: Response, statusCode: number, code: string): Promise<void> {
    expect(res.status).toBe(statusCode);
    expect(await res.json()).toMatchObject({ statusCode, code, message: expect.any(String) });
  }

  it('creates a key from a session: 201 with the secret once; the database keeps only its SHA-256', async () => {
    const res = await ana.request('POST', '/api/v1/api-keys', { name: 'CRM', scopes: ['mail:read'] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CreatedApiKey;
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: 'CRM',
      scopes: ['mail:read'],
      prefix: expect.stringMatching(/^[0-9A-Za-z]{10}$/),
      key: expect.stringMatching(/^cor_[0-9A-Za-z]{10}_[0-9A-Za-z]{43}$/),
      createdAt: expect.any(String),
      expiresAt: null,
    });
    expect(created.key.startsWith(`cor_${created.prefix}_`)).toBe(true);
    const { rows } = await t.db.pool.query<Record<string, unknown>>('SELECT * FROM api_keys WHERE id = $1', [created.id]);
    expect(rows[0]!.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(created.key.slice(-43));

    const list = await ana.json<ApiKeyList>('GET', '/api/v1/api-keys');
    const listed = list.keys.find((k) => k.id === created.id)!;
    expect(listed).toMatchObject({ name: 'CRM', scopes: ['mail:read'], prefix: created.prefix, lastUsedAt: null, lastUsedIp: null });
    expect(JSON.stringify(list)).not.toContain(created.key);
    // Another account sees none of Ana's keys.
    expect((await bia.json<ApiKeyList>('GET', '/api/v1/api-keys')).keys).toEqual([]);
  });

  it('authenticates a Bearer request as the key\'s account, and records the last use (at most once a minute)', async () => {
    const { id, key } = await createKey(ana, { name: 'reader', scopes: ['mail:read'] });
    const me = await withKey(key, 'GET', '/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(((await me.json()) as { account: { address: string } }).account.address).toBe('ana@ifsc.edu');
    const boxes = await withKey(key, 'GET', '/api/v1/mailboxes');
    expect(boxes.status).toBe(200);
    const listed = (await ana.json<ApiKeyList>('GET', '/api/v1/api-keys')).keys.find((k) => k.id === id)!;
    expect(listed.lastUsedIp).toBe('127.0.0.1');
    const firstUse = listed.lastUsedAt!;
    expect(Date.now() - Date.parse(firstUse)).toBeLessThan(60_000);
    await withKey(key, 'GET', '/api/v1/mailboxes');
    expect((await ana.json<ApiKeyList>('GET', '/api/v1/api-keys')).keys.find((k) => k.id === id)!.lastUsedAt).toBe(firstUse);
  });

  it('needs no CSRF token with a key (a browser never sends the header on its own), but a session still does', async () => {
    const { key } = await createKey(ana, { name: 'writer', scopes: ['mail:read', 'mail:write'] });
    const res = await withKey(key, 'PATCH', '/api/v1/compose/settings', { undoSendSeconds: 5 });
    expect(res.status, await res.clone().text()).toBe(200);
    const noCsrf = await fetch(`${t.baseUrl}/api/v1/compose/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: (ana as unknown as { cookie: string }).cookie },
      body: JSON.stringify({ undoSendSeconds: 5 }),
    });
    await expectError(noCsrf, 403, 'forbidden');
  });

  it('answers 403 forbidden when the key lacks the route\'s scope (default: GET → mail:read, else mail:write)', async () => {
    const reader = await createKey(ana, { name: 'r', scopes: ['mail:read'] });
    const writer = await createKey(ana, { name: 'w', scopes: ['mail:write'] });
    const sender = await createKey(ana, { name: 's', scopes: ['mail:send'] });
    const denied = await withKey(reader.key, 'PATCH', '/api/v1/compose/settings', { undoSendSeconds: 0 });
    await expectError(denied, 403, 'forbidden');
    expect(denied.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="mail:write"');
    await expectError(await withKey(writer.key, 'GET', '/api/v1/mailboxes'), 403, 'forbidden');
    // Sending is its own scope: mail:write does not send, mail:send does.
    const mail = { to: ['bia@ifsc.edu'], subject: 'por chave', text: 'enviado por um programa' };
    await expectError(await withKey(writer.key, 'POST', '/api/v1/messages/send', mail), 403, 'forbidden');
    await expectError(await withKey(reader.key, 'POST', '/api/v1/messages/send', mail), 403, 'forbidden');
    const sent = await withKey(sender.key, 'POST', '/api/v1/messages/send', mail);
    expect(sent.status, await sent.clone().text()).toBe(201);
  });

  it('refuses key management with a key (403), whatever its scopes', async () => {
    const { id, key } = await createKey(root, { name: 'all', scopes: ['mail:read', 'mail:write', 'mail:send', 'admin'] });
    await expectError(await withKey(key, 'GET', '/api/v1/api-keys'), 403, 'forbidden');
    await expectError(await withKey(key, 'POST', '/api/v1/api-keys', { name: 'child', scopes: ['mail:read'] }), 403, 'forbidden');
    await expectError(await withKey(key, 'DELETE', `/api/v1/api-keys/${id}`), 403, 'forbidden');
    expect((await withKey(key, 'GET', '/api/v1/mailboxes')).status).toBe(200);
  });

  it('gives the admin scope to admin accounts only; the admin API needs it on a key', async () => {
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'nope', scopes: ['admin'] }), 403, 'forbidden');
    const adminKey = await createKey(root, { name: 'ops', scopes: ['admin'] });
    const readKey = await createKey(root, { name: 'ops-read', scopes: ['mail:read'] });
    const anaKey = await createKey(ana, { name: 'ana-read', scopes: ['mail:read'] });
    expect((await withKey(adminKey.key, 'GET', '/api/v1/admin/domains')).status).toBe(200);
    expect((await withKey(adminKey.key, 'GET', '/api/v1/admin/queue')).status).toBe(200);
    await expectError(await withKey(readKey.key, 'GET', '/api/v1/admin/domains'), 403, 'forbidden');
    await expectError(await withKey(anaKey.key, 'GET', '/api/v1/admin/domains'), 403, 'forbidden');
    // An admin key holds only what it says: no mail:read.
    await expectError(await withKey(adminKey.key, 'GET', '/api/v1/mailboxes'), 403, 'forbidden');
  });

  it('revokes at once (204, then 401); another account\'s key id and an unknown id answer 404', async () => {
    const { id, key } = await createKey(ana, { name: 'to revoke', scopes: ['mail:read'] });
    expect((await withKey(key, 'GET', '/api/v1/mailboxes')).status).toBe(200);
    await expectError(await bia.request('DELETE', `/api/v1/api-keys/${id}`), 404, 'not_found');
    expect((await withKey(key, 'GET', '/api/v1/mailboxes')).status).toBe(200);
    const res = await ana.request('DELETE', `/api/v1/api-keys/${id}`);
    expect(res.status).toBe(204);
    const after = await withKey(key, 'GET', '/api/v1/mailboxes');
    await expectError(after, 401, 'unauthenticated');
    expect(after.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    await expectError(await ana.request('DELETE', `/api/v1/api-keys/${id}`), 404, 'not_found');
    await expectError(await ana.request('DELETE', '/api/v1/api-keys/999999999'), 404, 'not_found');
    await expectError(await ana.request('DELETE', '/api/v1/api-keys/abc'), 404, 'not_found');
    expect((await ana.json<ApiKeyList>('GET', '/api/v1/api-keys')).keys.map((k) => k.id)).not.toContain(id);
  });

  it('answers 401 for an expired key, an unknown key, a malformed one and an empty Bearer header', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const { id, key, expiresAt } = await createKey(ana, { name: 'short', scopes: ['mail:read'], expiresAt: future });
    expect(expiresAt).toBe(future);
    expect((await withKey(key, 'GET', '/api/v1/mailboxes')).status).toBe(200);
    await t.db.pool.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    await expectError(await withKey(key, 'GET', '/api/v1/mailboxes'), 401, 'unauthenticated');

    const unknown = `cor_${'A'.repeat(10)}_${'b'.repeat(43)}`;
    await expectError(await withKey(unknown, 'GET', '/api/v1/mailboxes'), 401, 'unauthenticated');
    await expectError(await withKey('not-a-key', 'GET', '/api/v1/mailboxes'), 401, 'unauthenticated');
    const empty = await fetch(`${t.baseUrl}/api/v1/mailboxes`, { headers: { authorization: 'Bearer' } });
    await expectError(empty, 401, 'unauthenticated');
    // A bad key is not rescued by a valid cookie riding along: the Bearer header decides.
    const both = await fetch(`${t.baseUrl}/api/v1/mailboxes`, {
      headers: { authorization: `Bearer ${unknown}`, cookie: (ana as unknown as { cookie: string }).cookie },
    });
    await expectError(both, 401, 'unauthenticated');
  });

  it('validates the request: 400 for an expiry in the past, an unknown or repeated scope, a missing name', async () => {
    const past = new Date(Date.now() - 1000).toISOString();
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'old', scopes: ['mail:read'], expiresAt: past }), 400, 'invalid_input');
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['mail:everything'] }), 400, 'invalid_input');
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['mail:read', 'mail:read'] }), 400, 'invalid_input');
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'x', scopes: [] }), 400, 'invalid_input');
    await expectError(await ana.request('POST', '/api/v1/api-keys', { scopes: ['mail:read'] }), 400, 'invalid_input');
    await expectError(await ana.request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['mail:read'], expiresAt: 'tomorrow' }), 400, 'invalid_input');
    await expectError(await new HttpClient(t.baseUrl).request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['mail:read'] }), 401, 'unauthenticated');
  });

  it('answers 413 too_large, in the one error schema, for a JSON body over the limit', async () => {
    const { key } = await createKey(ana, { name: 'big', scopes: ['mail:send'] });
    const res = await withKey(key, 'POST', '/api/v1/messages/send', { to: ['bia@ifsc.edu'], subject: 'grande', text: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    const body = (await res.json()) as Record<string, unknown>;
    // Fastify's bodyLimit refusal, in the one error schema (HttpExceptionFilter).
    expect(body).toEqual({ statusCode: 413, code: 'too_large', message: 'Request body is too large' });
  });
});

describe('API rate limits: per key and per client address, 429 with Retry-After and RateLimit-* fields', () => {
  let t: TestApp;
  let ana: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_API_RATE_LIMIT_PER_KEY: '3', CORREIO_API_RATE_LIMIT_PER_IP: '8', CORREIO_API_RATE_LIMIT_WINDOW: '1m' });
    await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' });
    ana = new HttpClient(t.baseUrl);
    await ana.login('ana@ifsc.edu', 'ana-password');
  });
  afterAll(() => t?.close());

  const get = (key: string) => fetch(`${t.baseUrl}/api/v1/mailboxes`, { headers: { authorization: `Bearer ${key}` } });

  it('counts each key on its own, the client address over all of them, and leaves the webmail session alone', async () => {
    const keys = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => (await ana.json<CreatedApiKey>('POST', '/api/v1/api-keys', { name, scopes: ['mail:read'] })).key),
    );
    const [a, b, c] = keys as [string, string, string];
    const first = await get(a);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-limit')).toBe('3');
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect((await get(a)).status).toBe(200);
    expect((await get(a)).status).toBe(200);
    const limited = await get(a);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('ratelimit-reset')).toBe(String(retryAfter));
    // Key b has its own budget; the address has used 4 of its 8.
    expect((await get(b)).status).toBe(200);
    expect((await get(b)).status).toBe(200);
    expect((await get(c)).status).toBe(200);
    // 8th request of this address: allowed, and an unknown key's failure counts too.
    expect((await get(`cor_${'Z'.repeat(10)}_${'z'.repeat(43)}`)).status).toBe(401);
    const overIp = await get(c);
    expect(overIp.status).toBe(429);
    expect(overIp.headers.get('ratelimit-limit')).toBe('8');
    expect(overIp.headers.get('retry-after')).toMatch(/^\d+$/);
    // The webmail (session cookie, all users behind the Next.js server's address) is not counted,
    // nor are logged-out visitors (no cookie); a wrong cookie is a guess and is refused like a key.
    for (let i = 0; i < 5; i++) expect((await ana.request('GET', '/api/v1/mailboxes')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${t.baseUrl}/api/v1/auth/me`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/api/v1/auth/me`, { headers: { cookie: 'correio_session=guess' } })).status).toBe(429);
  });
});

describe('API key revocation across API processes', () => {
  let a: TestApp;
  let b: RunningApp;
  let bDb: OpenDatabase;

  beforeAll(async () => {
    a = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    await a.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' });
    // A second API process on the same database (as behind a load balancer).
    const config = loadConfig({
      CORREIO_API_PORT: '0',
      CORREIO_ROLES: 'http',
      CORREIO_DOMAIN: 'ifsc.edu',
      DATABASE_URL: a.testDb.url,
      DATABASE_IS_PGLITE: a.testDb.kind === 'pglite' ? 'true' : 'false',
    });
    bDb = await openDatabase(config, { allowShared: false, applicationName: 'correio-test-b' });
    b = await createApp(config, bDb, false);
  });
  afterAll(async () => {
    await b?.app.close();
    await bDb?.close();
    await a?.close();
  });

  it('a key revoked through one process is refused by the other at once (no key cache)', async () => {
    const ana = new HttpClient(a.baseUrl);
    await ana.login('ana@ifsc.edu', 'ana-password');
    const { id, key } = await ana.json<CreatedApiKey>('POST', '/api/v1/api-keys', { name: 'lb', scopes: ['mail:read'] });
    const viaB = () => fetch(`http://127.0.0.1:${b.httpPort}/api/v1/mailboxes`, { headers: { authorization: `Bearer ${key}` } });
    expect((await viaB()).status).toBe(200);
    expect((await ana.request('DELETE', `/api/v1/api-keys/${id}`)).status).toBe(204);
    expect((await viaB()).status).toBe(401);
  });
});
