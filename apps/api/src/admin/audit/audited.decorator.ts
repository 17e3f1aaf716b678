import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'correio:auditAction';

export interface AuditSpec {
  /** What was done, `<object>.<verb>`: account.create, alias.remove, queue.hold, … */
  action: string;
  /** The route parameter naming what was acted on (its value becomes the entry's target). */
  targetParam?: string;
  /** A request body field naming the target when the route has no parameter (e.g. create). */
  targetField?: string;
}

/**
 * Marks an admin route whose successful calls are written to the audit log. The handler takes
 * `@AuditRecord() audit: RecordWithin` and passes it to the service, which writes the entry in the
 * transaction that makes the change (AuditInterceptor + AuditTrail).
 */
export const Audited = (spec: AuditSpec) => SetMetadata(AUDIT_ACTION, spec);
