import type { ZodType } from 'zod';
import type { ApiScope } from '../auth/api-scope.js';
import type { RouteContract } from './openapi-routes.js';
import { type SchemaRegistry, toJsonSchema } from './openapi-schemas.js';

type Json = Record<string, unknown>;

const ERROR_BODY = { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } };
const RATE_HEADERS = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};

/** The error answers, each with the one ApiError body (and the rate-limit fields on 429). */
const ERRORS: Record<number, { name: string; description: string; headers?: Json }> = {
  400: { name: 'BadRequest', description: 'invalid_input: the body or a parameter does not match the schema (details name the fields)' },
  401: {
    name: 'Unauthorized',
    description: 'unauthenticated: no session, or an unknown, revoked or expired API key',
    headers: {
      'WWW-Authenticate': { description: 'For Bearer requests: `Bearer error="invalid_token"` (RFC 6750 §3)', schema: { type: 'string' } },
    },
  },
  403: {
    name: 'Forbidden',
    description: 'forbidden: the API key lacks the scope, the account may not do this, or the CSRF token is missing',
  },
  404: { name: 'NotFound', description: "not_found: no such object (another account's objects answer the same)" },
  409: { name: 'Conflict', description: 'conflict: the object is in a state that does not allow this now' },
  413: { name: 'PayloadTooLarge', description: 'too_large: the request body is over the configured limit' },
  429: {
    name: 'TooManyRequests',
    description: 'rate_limited: over the per-key or per-address limit; retry after Retry-After seconds',
    headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' }, ...RATE_HEADERS },
  },
  503: { name: 'ServiceUnavailable', description: 'unavailable: the database cannot be reached right now; retry' },
  507: { name: 'InsufficientStorage', description: "over_quota: a recipient's mailbox is full" },
};

export function errorComponents(): Json {
  const responses: Json = {};
  for (const e of Object.values(ERRORS))
    responses[e.name] = { description: e.description, content: ERROR_BODY, ...(e.headers ? { headers: e.headers } : {}) };
  const int = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
  return {
    responses,
    headers: {
      'Retry-After': int('Seconds until a request may succeed again (RFC 9110 §10.2.3)'),
      'RateLimit-Limit': int('Requests allowed in the window (draft-ietf-httpapi-ratelimit-headers)'),
      'RateLimit-Remaining': int('Requests left in the current window'),
      'RateLimit-Reset': int('Seconds until the window resets'),
    },
  };
}

/**
 * Fills one operation from its route's contract: security (who may call it, and the key scope),
 * parameters and request body from the ZodPipe schemas, the success answer from @ApiResult, and
 * the error answers every route of its kind can give. Operations without a contract (not ours) are
 * left as @nestjs/swagger made them.
 */
export function completeOperation(method: string, op: Json, route: RouteContract | undefined, registry: SchemaRegistry): void {
  if (!route) return;
  const isRead = method === 'get' || method === 'head';
  const scope: ApiScope = route.scope ?? (isRead ? 'mail:read' : 'mail:write');
  const session = isRead ? { session: [] } : { session: [], csrf: [] };
  op.security = route.isPublic ? [] : route.isSessionOnly ? [session] : [session, { bearer: [scope] }];
  if (!route.isPublic) {
    const who = route.isSessionOnly ? 'Session only (an API key answers 403).' : `API key scope: \`${scope}\`.`;
    op.description = op.description ? `${op.description}\n\n${who}` : who;
  }

  // Query parameters from the ZodPipe replace @nestjs/swagger's guesses of the same names; others
  // declared with @ApiQuery (a route that reads its query without a pipe) stay.
  const fromPipe = route.query ? queryParameters(route.query) : [];
  const names = new Set(fromPipe.map((p) => p.name));
  const parameters = [
    ...((op.parameters as Json[] | undefined) ?? []).filter((p) => !(p.in === 'query' && names.has(p.name as string))),
    ...fromPipe,
  ];
  op.parameters = parameters;
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: registry.ref(route.body, 'input') } } };

  const declared = (op.responses as Record<string, Json> | undefined) ?? {};
  const status = route.httpCode ?? (method === 'post' ? 201 : 200);
  const errors = new Set<number>(route.result?.errors ?? []);
  if (!route.isPublic) for (const code of [401, 403, 429]) errors.add(code);
  if (route.body || route.query) errors.add(400);
  if (route.body) errors.add(413);
  if (parameters.some((p) => p.in === 'path')) errors.add(404);
  errors.add(503);
  for (const code of Object.keys(declared)) if (Number(code) >= 400) errors.add(Number(code));

  const responses: Json = {};
  // Other success answers declared with @ApiResponse (e.g. 200 for a replayed request) stay.
  for (const [code, response] of Object.entries(declared)) if (/^2/.test(code) && Number(code) !== status) responses[code] = response;
  const success = successResponse(status, route, registry, declared[status]);
  // Answers to API keys carry the rate-limit fields (session requests are not counted).
  if (!route.isPublic && !route.isSessionOnly) success.headers = { ...((success.headers as Json | undefined) ?? {}), ...RATE_HEADERS };
  responses[status] = success;
  for (const code of [...errors].sort()) responses[code] = errorResponse(code, declared[code]);
  op.responses = responses;
}

/**
 * An error answer: the shared component for the status, or — when the route declared the status
 * with @ApiResponse and its own description (which says more, like "not one of the account's
 * mailboxes") — that description with the one ApiError body and the component's headers.
 */
function errorResponse(code: number, declared: Json | undefined): Json {
  const known = ERRORS[code];
  const description = declared?.description as string | undefined;
  if (known && (!description || description === 'Error')) return { $ref: `#/components/responses/${known.name}` };
  return { description: description || `Error ${code}`, content: ERROR_BODY, ...(known?.headers ? { headers: known.headers } : {}) };
}

function successResponse(status: number, route: RouteContract, registry: SchemaRegistry, existing: Json | undefined): Json {
  const result = route.result;
  const description = result?.description ?? (existing?.description as string | undefined) ?? (status === 204 ? 'Done; no body' : 'OK');
  if (status === 204) return { description };
  if (result?.schema)
    return { description, content: { [result.contentType ?? 'application/json']: { schema: registry.ref(result.schema, 'output') } } };
  if (result?.contentType)
    return { description, content: { [result.contentType]: { schema: { type: 'string', contentMediaType: result.contentType } } } };
  // No @ApiResult: what @ApiResponse declared, and bytes of the @ApiProduces media types (the
  // OpenAPI test lists routes left without a body).
  const declared: Json = existing ? { ...existing, description } : { description };
  if (!declared.content && route.produces.length > 0) {
    declared.content = Object.fromEntries(route.produces.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]));
  }
  return declared;
}

/** An object schema's properties as `in: query` parameters (query strings are flat). */
function queryParameters(schema: ZodType): Json[] {
  const json = toJsonSchema(schema, 'input');
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties as Record<string, Json> | undefined) ?? {}).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: 'query', required: required.has(name), schema: rest, ...(description ? { description } : {}) };
  });
}
