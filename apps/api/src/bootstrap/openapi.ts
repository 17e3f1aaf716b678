import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import * as contracts from '@correio/contracts';
import { z } from 'zod';

/**
 * OpenAPI at /api/docs (UI) and /api/docs-json. Route shapes come from the controllers' decorators;
 * the request/response schemas are the shared zod contracts, converted to JSON Schema here so the
 * document and the validation can never disagree.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Correio REST API')
    .setDescription(
      'Mail for integrators and the webmail. Log in with POST /api/v1/auth/login (sets an httpOnly session cookie); ' +
        'send the returned csrfToken in the X-CSRF-Token header on every POST/PATCH/DELETE. Ids are decimal strings. ' +
        "Another account's objects answer 404. Errors have the body {statusCode, code, message, details?}.",
    )
    .setVersion('1')
    .addCookieAuth('correio_session')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(contracts)) {
    if (value instanceof z.ZodType) {
      try {
        schemas[name] = z.toJSONSchema(value, { unrepresentable: 'any', io: 'input' });
      } catch {
        /* not representable as JSON Schema: left out of the document */
      }
    }
  }
  document.components = { ...document.components, schemas: { ...(document.components?.schemas ?? {}), ...(schemas as object) } };
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
