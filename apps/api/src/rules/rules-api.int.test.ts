import type { CreatedApiKey, FilterList, FilterView, SieveScript } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The REST side of mail rules: validation with clear 400s (a Sieve line, a missing folder, bad
// input), another account's filter is a 404, API-key scopes, Sieve round trip through the API.
describe('mail rules REST API', () => {
  let t: TestApp;
  let ana: HttpClient;
  let rui: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'api.test' });
    for (const who of ['ana', 'rui']) await t.directory.addAccount({ address: `${who}@api.test`, password: `${who}-password` });
    ana = new HttpClient(t.baseUrl);
    rui = new HttpClient(t.baseUrl);
    expect((await ana.login('ana@api.test', 'ana-password')).status).toBe(200);
    expect((await rui.login('rui@api.test', 'rui-password')).status).toBe(200);
    await ana.json('POST', '/api/v1/mailboxes', { name: 'Lists' });
  });
  afterAll(() => t.close());

  const body = async (res: Response) => ({ status: res.status, ...((await res.json()) as { message?: string; code?: string }) });

  it('creates, lists, reorders, updates and deletes filters; another account sees none of them', async () => {
    const a = await ana.json<FilterView>('POST', '/api/v1/filters', {
      name: 'A',
      conditions: [{ field: 'from', op: 'is', value: 'x@y.example' }],
      actions: [{ kind: 'markRead' }],
    });
    const b = await ana.json<FilterView>('POST', '/api/v1/filters', {
      name: 'B',
      conditions: [],
      actions: [{ kind: 'move', folder: 'lists' }],
    });
    expect((await ana.json<FilterList>('GET', '/api/v1/filters')).items.map((f) => f.name)).toEqual(['A', 'B']);
    expect((await ana.json<FilterList>('PUT', '/api/v1/filters/order', { ids: [b.id] })).items.map((f) => f.name)).toEqual(['B', 'A']);
    expect(
      (
        await ana.json<FilterView>('PUT', `/api/v1/filters/${a.id}`, {
          name: 'A2',
          enabled: false,
          conditions: [],
          actions: [{ kind: 'star' }],
        })
      ).enabled,
    ).toBe(false);
    expect((await rui.json<FilterList>('GET', '/api/v1/filters')).items).toEqual([]);
    expect((await rui.request('PUT', `/api/v1/filters/${a.id}`, { name: 'x', conditions: [], actions: [{ kind: 'star' }] })).status).toBe(
      404,
    );
    expect((await rui.request('DELETE', `/api/v1/filters/${a.id}`)).status).toBe(404);
    expect((await ana.request('DELETE', `/api/v1/filters/${a.id}`)).status).toBe(204);
    expect((await ana.request('DELETE', '/api/v1/filters/not-an-id')).status).toBe(404);
  });

  it('refuses what it cannot run, saying why', async () => {
    expect(
      await body(
        await ana.request('POST', '/api/v1/filters', { name: 'x', conditions: [], actions: [{ kind: 'move', folder: 'Nowhere' }] }),
      ),
    ).toMatchObject({ status: 400, message: expect.stringContaining('no folder named "Nowhere"') });
    expect((await ana.request('POST', '/api/v1/filters', { name: 'x', conditions: [], actions: [] })).status).toBe(400);
    expect(
      (
        await ana.request('POST', '/api/v1/filters', {
          name: 'x',
          conditions: [{ field: 'size', op: 'contains', value: 1 }],
          actions: [{ kind: 'star' }],
        })
      ).status,
    ).toBe(400);
    expect((await ana.request('PUT', '/api/v1/vacation', { enabled: true, message: '' })).status).toBe(400);
    expect(
      (
        await ana.request('PUT', '/api/v1/vacation', {
          enabled: true,
          message: 'x',
          startsAt: '2026-12-20T00:00:00Z',
          endsAt: '2026-12-10T00:00:00Z',
        })
      ).status,
    ).toBe(400);
    expect((await ana.request('PUT', '/api/v1/forwarding', { enabled: true, addresses: ['not an address'] })).status).toBe(400);
    expect((await ana.request('POST', '/api/v1/senders', { kind: 'block', pattern: 'not a domain' })).status).toBe(400);
    const sieve = await body(
      await ana.request('PUT', '/api/v1/filters/sieve', {
        script: 'require "fileinto";\nif header :regex "subject" "x" { fileinto "Lists"; }',
      }),
    );
    expect(sieve).toMatchObject({ status: 400, message: expect.stringContaining('line 2: ":regex" is not supported') });
  });

  it('Sieve through the API: export, import back, the same filters; vacation included', async () => {
    await ana.json('PUT', '/api/v1/filters/sieve', { script: '' });
    await ana.json('POST', '/api/v1/filters', {
      name: 'Lists',
      match: 'any',
      conditions: [{ field: 'header', name: 'List-Id', op: 'contains', value: 'dev' }, { field: 'hasAttachment' }],
      actions: [{ kind: 'move', folder: 'Lists' }, { kind: 'stop' }],
    });
    await ana.json('PUT', '/api/v1/vacation', { enabled: true, subject: 'Away', message: 'Back soon.', days: 3 });
    const before = await ana.json<FilterList>('GET', '/api/v1/filters');
    const { script } = await ana.json<SieveScript>('GET', '/api/v1/filters/sieve');
    expect(script).toContain('vacation :days 3 :subject "Away" "Back soon.";');
    await ana.json('PUT', '/api/v1/vacation', { enabled: false, message: 'x' });
    const after = await ana.json<FilterList>('PUT', '/api/v1/filters/sieve', { script });
    expect(after.items.map(({ id: _, ...f }) => f)).toEqual(before.items.map(({ id: _, ...f }) => f));
    expect(await ana.json('GET', '/api/v1/vacation')).toMatchObject({ enabled: true, subject: 'Away', message: 'Back soon.', days: 3 });
  });

  it('blocked/allowed senders: one entry per address or domain; an API key needs mail:write to change them', async () => {
    await ana.json('POST', '/api/v1/senders', { kind: 'block', pattern: 'Spam.Example' });
    await ana.json('POST', '/api/v1/senders', { kind: 'allow', pattern: 'spam.example' });
    expect((await ana.json<{ items: { kind: string; pattern: string }[] }>('GET', '/api/v1/senders')).items).toMatchObject([
      { kind: 'allow', pattern: 'spam.example' },
    ]);
    const key = (await ana.json<CreatedApiKey>('POST', '/api/v1/api-keys', { name: 'reader', scopes: ['mail:read'] })).key;
    const withKey = (method: string, path: string, b?: unknown) =>
      fetch(`${t.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
    expect((await withKey('GET', '/api/v1/senders')).status).toBe(200);
    expect((await withKey('POST', '/api/v1/senders', { kind: 'block', pattern: 'x.example' })).status).toBe(403);
  });
});
