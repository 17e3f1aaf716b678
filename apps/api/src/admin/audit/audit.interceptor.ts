import { type CallHandler, type ExecutionContext, Injectable, Logger, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { type Observable, map } from 'rxjs';
import type { AuthenticatedSession } from '../../auth/auth.service.js';
import { AdminAuditRepository } from './admin-audit.repository.js';
import { auditEntryOf } from './audit-entry.js';
import { type AuditedRequest, AuditTrail } from './audit-trail.js';
import { AUDIT_ACTION, type AuditSpec } from './audited.decorator.js';

/**
 * Gives every @Audited admin route its AuditTrail (the entry built from the request, secrets
 * redacted) for the handler to pass, through @AuditRecord(), into the service transaction that
 * makes the change. It writes nothing itself: an entry written after the action's COMMIT could fail
 * and leave an unrecorded change (or report an error for a change that happened).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AdminAuditRepository,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<AuditSpec | undefined>(AUDIT_ACTION, ctx.getHandler());
    if (!spec) return next.handle();
    const req = ctx.switchToHttp().getRequest<FastifyRequest & { session?: AuthenticatedSession } & AuditedRequest>();
    const trail = new AuditTrail(auditEntryOf(spec, req), this.audit);
    req.auditTrail = trail;
    return next.handle().pipe(
      map((result: unknown) => {
        // A success that wrote no entry (or two) is a handler that did not hand its trail to the
        // transaction: a bug the admin tests catch for every @Audited route. It is said loudly,
        // never passed over in silence.
        if (trail.count !== 1) {
          this.logger.error(
            `${spec.action} succeeded with ${trail.count} audit entries (expected 1): its handler must pass @AuditRecord() to the service`,
          );
          throw new Error(`${spec.action}: audit entry not written in the action's transaction`);
        }
        return result;
      }),
    );
  }
}
