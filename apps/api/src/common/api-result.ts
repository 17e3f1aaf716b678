import { SetMetadata } from '@nestjs/common';
import type { ZodType } from 'zod';

export const API_RESULT = 'correio:apiResult';

export interface ApiResultSpec {
  /** The success body's shared contract schema (a @correio/contracts export becomes a $ref); null: no JSON body. */
  schema: ZodType | null;
  /** For a non-JSON body (message/rfc822, an attachment's bytes, text/event-stream). */
  contentType?: string;
  description?: string;
  /** Error statuses this route answers beyond the ones every route has (e.g. 409, 507). */
  errors?: number[];
}

/**
 * Declares a route's success answer for the OpenAPI document (bootstrap/openapi.ts). Request bodies
 * and query parameters need no declaration: they are read from the route's ZodPipe. The OpenAPI
 * test fails for a route that returns a body and has no @ApiResult.
 */
export const ApiResult = (schema: ZodType | null, options: Omit<ApiResultSpec, 'schema'> = {}) =>
  SetMetadata(API_RESULT, { schema, ...options } satisfies ApiResultSpec);
