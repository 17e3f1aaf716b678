import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiError, CSRF_HEADER, SESSION_COOKIE } from '@correio/contracts';
import { completeOperation, errorComponents } from './openapi-operations.js';
import { collectRouteContracts } from './openapi-routes.js';
import { SchemaRegistry } from './openapi-schemas.js';

const DESCRIPTION = `Mail for integrators and the webmail.

**Authentication** — one of:
- **API key** (programs): create one in the webmail (Settings → API keys) or with \`POST /api/v1/api-keys\` from a
  logged-in session, then send \`Authorization: Bearer cor_…\`. No CSRF token is needed. A key holds scopes:
  \`mail:read\` (list, search, read, download), \`mail:write\` (flags, moves, deletes, import, mailboxes),
  \`mail:send\` (submit mail), \`admin\` (the admin API; admin accounts only). Each operation lists the scope it needs.
  A missing scope answers 403, an unknown, revoked or expired key 401.
- **Session cookie** (the webmail): \`POST /api/v1/auth/login\` sets the httpOnly \`${SESSION_COOKIE}\` cookie and returns a
  \`csrfToken\`; send it in the \`X-CSRF-Token\` header on every POST/PUT/PATCH/DELETE. A session has every right of its account.

**Limits** — requests with a key count against the key and against the client address; over the limit the
answer is 429 with \`Retry-After\` and \`RateLimit-Limit\`, \`RateLimit-Remaining\`, \`RateLimit-Reset\`. JSON bodies
over the configured size answer 413.

**Conventions** — ids are decimal strings; another account's objects answer 404, like missing ones. Every
error has the body \`ApiError\` = \`{statusCode, code, message, details?}\`.`;

/**
 * OpenAPI 3.1 at /api/docs-json, Swagger UI at /api/docs. Paths come from the controllers; each
 * operation is then completed from the metadata the request path itself runs on (openapi-routes.ts):
 * request bodies and query parameters from the routes' ZodPipe schemas, answers from @ApiResult,
 * or what @nestjs/swagger's @ApiResponse declared, security from the guard's metadata (@Public,
 * @SessionOnly, @RequireScope), errors from the one ApiError schema. Every shared contract is in
 * components.schemas under its export name. `redocly lint` passes on it with no errors (bootstrap/openapi.int.test.ts).
 */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Correio REST API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This server')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const registry = new SchemaRegistry();
  registry.ref(ApiError, 'output');
  const routes = collectRouteContracts(app);
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!isHttpMethod(method) || !operation || typeof operation !== 'object') continue;
      completeOperation(
        method,
        operation as Record<string, unknown>,
        routes.get((operation as { operationId: string }).operationId.replace(/\[\d+\]$/, '')),
        registry,
      );
    }
  }
  registry.addRemainingContracts();
  const doc = document as unknown as Record<string, unknown>;
  doc.components = {
    schemas: registry.schemas,
    ...errorComponents(),
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The webmail session, set by POST /api/v1/auth/login.' },
      csrf: {
        type: 'apiKey',
        in: 'header',
        name: 'X-CSRF-Token',
        description: `With a session cookie, every POST/PUT/PATCH/DELETE also needs this header (${CSRF_HEADER}) equal to the csrfToken of login or GET /api/v1/auth/me.`,
      },
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'cor_<prefix>_<secret>',
        description: 'An API key. The scopes an operation needs are listed in its security requirement.',
      },
    },
  };
  return document;
}

export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'api/docs-json',
    // "Try it out" with a key: Authorize → bearer → paste the key; kept across reloads of the page.
    swaggerOptions: { persistAuthorization: true, tryItOutEnabled: false, displayOperationId: false },
    customSiteTitle: 'Correio REST API',
  });
}

function isHttpMethod(m: string): boolean {
  return ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(m);
}
