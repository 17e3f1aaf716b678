import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, mergeMap } from 'rxjs';
import type { AuthenticatedSession } from '../../auth/auth.service.js';
import { AdminAuditRepository } from './admin-audit.repository.js';
import { AUDIT_ACTION, type AuditSpec } from './audited.decorator.js';

/** Body fields never copied into the audit log. */
const SECRET_FIELDS = new Set(['password', 'newPassword', 'token', 'secret']);

function redact(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '[redacted]' : v]));
}

/**
 * Writes an audit entry for every @Audited admin route that succeeded, before the response goes
 * out: if the entry cannot be written the client sees an error rather than an unrecorded success.
 * Not in the action's transaction (the services own theirs); an action that fails writes nothing.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AdminAuditRepository,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_ACTION, ctx.getHandler());
    if (!spec) return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { session?: AuthenticatedSession }>();
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        const params = (req.params ?? {}) as Record<string, string>;
        const body = redact(req.body);
        const raw = spec.targetParam ? params[spec.targetParam] : spec.targetField ? body[spec.targetField] : undefined;
        // Targets are addresses, domains and queue ids: lower case, as the directory stores them.
        const target = typeof raw === 'string' && raw ? raw.toLowerCase() : null;
        const account = req.session?.account;
        await this.audit.insert({
          actorId: account?.id ?? null,
          actorAddress: account?.address ?? 'unknown',
          action: spec.action,
          target,
          details: { ...body, ...(Object.keys(params).length ? { params } : {}) },
          ip: req.ip ?? null,
        });
        return result;
      }),
    );
  }
}
