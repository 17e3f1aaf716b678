import { HTTP_CODE_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ZodType } from 'zod';
import { type ApiScope, REQUIRED_SCOPE } from '../auth/api-scope.js';
import { IS_PUBLIC, IS_SESSION_ONLY } from '../auth/session.guard.js';
import { API_RESULT, type ApiResultSpec } from '../common/api-result.js';
import { ZodPipe } from '../common/zod-validation.js';

/** What the OpenAPI document needs to know about one route, read from its decorators. */
export interface RouteContract {
  isPublic: boolean;
  isSessionOnly: boolean;
  /** The scope a key needs when the route declares one (else the guard's default by method). */
  scope: ApiScope | undefined;
  body: ZodType | undefined;
  query: ZodType | undefined;
  result: ApiResultSpec | undefined;
  httpCode: number | undefined;
  /** Media types from @nestjs/swagger's @ApiProduces (a stream or bytes route without @ApiResult). */
  produces: string[];
}

// Nest's RouteParamtypes (@nestjs/common/enums/route-paramtypes.enum): BODY = 3, QUERY = 4; the
// arguments' metadata keys are "<paramtype>:<index>".
const BODY = '3';
const QUERY = '4';
// @nestjs/swagger's API_PRODUCES (its constants are not among the package's exports).
const API_PRODUCES = 'swagger/apiProduces';

/**
 * Every controller method's contract, keyed like @nestjs/swagger's default operationId
 * (`<Controller>_<method>`): the guard's metadata (public, session-only, scope), the ZodPipe
 * schemas of @Body and @Query, @ApiResult and @HttpCode. The document is then completed from the
 * same metadata the request path runs on, so the two cannot disagree.
 */
export function collectRouteContracts(app: NestFastifyApplication): Map<string, RouteContract> {
  const reflector = new Reflector();
  const out = new Map<string, RouteContract>();
  for (const module of app.get(ModulesContainer, { strict: false }).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const targets = [handler, controller];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, { pipes?: unknown[] }>;
        out.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets) ?? false,
          isSessionOnly: reflector.getAllAndOverride<boolean>(IS_SESSION_ONLY, targets) ?? false,
          scope: reflector.getAllAndOverride<ApiScope | undefined>(REQUIRED_SCOPE, targets),
          body: pipeSchema(args, BODY),
          query: pipeSchema(args, QUERY),
          result: Reflect.getMetadata(API_RESULT, handler) as ApiResultSpec | undefined,
          httpCode: Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined,
          produces: (reflector.getAllAndOverride<string[] | undefined>(API_PRODUCES, targets) ?? []).filter(
            (t) => t !== 'application/json',
          ),
        });
      }
    }
  }
  return out;
}

function pipeSchema(args: Record<string, { pipes?: unknown[] }>, paramtype: string): ZodType | undefined {
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] !== paramtype) continue;
    const pipe = arg.pipes?.find((p): p is ZodPipe<unknown> => p instanceof ZodPipe);
    // ZodPipe keeps its schema private to the pipe's users; the document generator is the one reader.
    if (pipe) return (pipe as unknown as { schema: ZodType }).schema;
  }
  return undefined;
}
