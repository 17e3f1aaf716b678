import { Logger, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError, ErrorCode } from '../../common/app-error.js';
import type { RecordWithin } from '../../common/record-within.js';
import type { AdminAuditRepository, NewAuditEntry } from './admin-audit.repository.js';

const logger = new Logger('audit');

/**
 * One @Audited request's entry, written by the action's own transaction (the service runs
 * `recordWithin` before its COMMIT): the change and its record commit together or not at all, and
 * a change that fails never writes one. AuditInterceptor makes it; @AuditRecord() hands it over.
 */
export class AuditTrail {
  private recorded = 0;

  constructor(
    private readonly entry: NewAuditEntry,
    private readonly repo: AdminAuditRepository,
  ) {}

  readonly recordWithin: RecordWithin = async (tx) => {
    try {
      await this.repo.insert(tx, this.entry);
    } catch (err) {
      // The service's transaction rolls back on this error: the admin must learn that nothing
      // changed (a 503 to retry), not see an opaque 500 that might hide a committed change.
      logger.error(
        `audit entry for ${this.entry.action} not written, action rolled back: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      throw new AppError(ErrorCode.Unavailable, `${this.entry.action} was not carried out: the audit log could not record it; try again`);
    }
    this.recorded++;
  };

  /** How many entries this request wrote: exactly one for a successful audited action. */
  get count(): number {
    return this.recorded;
  }
}

export type AuditedRequest = { auditTrail?: AuditTrail };

/**
 * The parameter an @Audited handler passes to the service it calls, as its `recordWithin`. Only
 * valid under AuditInterceptor on an @Audited route; anything else is a wiring mistake, refused.
 */
export const AuditRecord = createParamDecorator((_data: unknown, ctx: ExecutionContext): RecordWithin => {
  const trail = ctx.switchToHttp().getRequest<AuditedRequest>().auditTrail;
  if (!trail) throw new Error(`@AuditRecord() on ${ctx.getClass().name}.${ctx.getHandler().name} needs @Audited and AuditInterceptor`);
  return trail.recordWithin;
});
