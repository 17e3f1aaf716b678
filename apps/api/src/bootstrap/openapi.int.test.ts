import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { $ref?: string; content?: Record<string, unknown> }>;
  requestBody?: unknown;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

// The contract (issue 13): the document the running API serves at /api/docs-json is OpenAPI 3.1,
// passes Redocly's recommended lint with no errors (the rules of `redocly lint`, run in-process),
// describes every operation's answers and security. (The web client is checked against it in
// test/web-client-contract.int.test.ts.)
describe('OpenAPI document at /api/docs-json', () => {
  let t: TestApp;
  let text: string;
  let doc: Document;
  const operations: { path: string; method: string; op: Operation }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await fetch(`${t.baseUrl}/api/docs-json`);
    expect(res.status).toBe(200);
    text = await res.text();
    doc = JSON.parse(text) as Document;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) if (item[method]) operations.push({ path, method, op: item[method]! });
    }
  });
  afterAll(() => t?.close());

  it('is OpenAPI 3.1 and passes `redocly lint` (recommended rules) with no errors', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    expect(errors).toEqual([]);
  });

  it('has both security schemes, and every protected operation accepts a session or a key with its scope', () => {
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'correio_session' },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
      bearer: { type: 'http', scheme: 'bearer' },
    });
    const byId = (id: string) => operations.find((o) => o.op.operationId === id)!.op;
    expect(byId('MailboxesController_list').security).toEqual([{ session: [] }, { bearer: ['mail:read'] }]);
    expect(byId('MessagesController_update').security).toEqual([{ session: [], csrf: [] }, { bearer: ['mail:write'] }]);
    expect(byId('SendController_send').security).toEqual([{ session: [], csrf: [] }, { bearer: ['mail:send'] }]);
    expect(byId('AdminDomainsController_list').security).toEqual([{ session: [] }, { bearer: ['admin'] }]);
    expect(byId('ApiKeysController_create').security).toEqual([{ session: [], csrf: [] }]);
    expect(byId('AuthController_login').security).toEqual([]);
    for (const { path, op } of operations) {
      expect(op.security, `${op.operationId} declares its security`).toBeDefined();
      if (op.security!.length === 0) continue;
      expect(Object.keys(op.responses), `${path} ${op.operationId}`).toEqual(expect.arrayContaining(['401', '403', '429']));
    }
  });

  it('describes every success answer (a schema or a media type) and refers every error to the one ApiError schema', () => {
    const incomplete = operations.filter(({ op }) => {
      const [status, success] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))!;
      return status !== '204' && !success.content;
    });
    expect(incomplete.map((o) => `${o.method.toUpperCase()} ${o.path} (${o.op.operationId}): add @ApiResult(...)`)).toEqual([]);
    const errorBody = { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } };
    for (const { op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue;
        if (response.$ref) expect(response.$ref, `${op.operationId} ${status}`).toMatch(/^#\/components\/responses\//);
        else expect(response.content, `${op.operationId} ${status}`).toEqual(errorBody);
      }
    }
    const tooMany = doc.components.responses!.TooManyRequests as { content: unknown; headers: Record<string, unknown> };
    expect(tooMany.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } });
    expect(Object.keys(tooMany.headers)).toEqual(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
    expect(doc.components.schemas!.ApiError).toMatchObject({ required: ['statusCode', 'code', 'message'] });
  });

  it('serves the docs page with bearer "Authorize" kept across reloads (persistAuthorization)', async () => {
    const page = await fetch(`${t.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
    const init = await (await fetch(`${t.baseUrl}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toMatch(/"persistAuthorization":\s*true/);
  });
});
