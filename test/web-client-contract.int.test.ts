import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../apps/api/src/testing/test-app.js';
import { api } from '../apps/web/lib/api.js';

// The web app's API client cannot drift from the API (issue 13): every request it can make —
// found by calling each method of apps/web/lib/api.ts against a recording fetch — must be an
// operation of the OpenAPI document the running API serves.
describe('web client ↔ OpenAPI document', () => {
  let t: TestApp;
  let operations: { path: string; method: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ path, method })));
  });
  afterAll(() => t?.close());

  it('has every path and method the web client (apps/web/lib/api.ts) calls', async () => {
    const calls: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (url: string, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      return new Response('{}', { status: 418 });
    }) as typeof fetch;
    try {
      for (const [name, fn] of Object.entries(api)) {
        const before = calls.length;
        const args = ['101', '102', '103'];
        const result = await Promise.resolve((fn as (...a: unknown[]) => unknown)(...args)).catch(() => undefined);
        if (typeof result === 'string' && result.startsWith('/api/')) calls.push(`GET ${result}`);
        expect(calls.length, `api.${name} made a request`).toBeGreaterThan(before);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    calls.push('POST /api/v1/uploads'); // lib/upload.ts (XMLHttpRequest, for upload progress)
    const templates = operations.map(({ path, method }) => ({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const missing = [...new Set(calls)].filter((call) => {
      const [method, url] = call.split(' ') as [string, string];
      const path = url.split('?')[0]!;
      return !templates.some((t) => t.method === method && t.pattern.test(path));
    });
    expect(missing).toEqual([]);
    expect(calls.length).toBeGreaterThan(15);
  });

});
