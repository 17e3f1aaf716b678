import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AuditList as AuditListSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AuditList, AuditListQuery } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { AuditListQuery as AuditListQueryParams } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { ZodPipe } from '../common/zod-validation.js';
import { AdminGuard } from './admin.guard.js';
import { AdminAuditRepository } from './audit/admin-audit.repository.js';

/** The admin audit log, read-only (entries are written in each audited action's transaction: audit/audit-trail.ts). */
@ApiTags('admin')
@Controller('api/v1/admin/audit')
@UseGuards(AdminGuard)
@RequireScope('admin')
export class AdminAuditController {
  constructor(private readonly audit: AdminAuditRepository) {}

  @ApiResult(AuditListSchema)
  @Get()
  @ApiOperation({ summary: 'Audit log of admin actions, newest first; filter by actor address and action (admin)' })
  @ApiQuery({ name: 'actor', required: false, description: 'actor address, exactly' })
  @ApiQuery({ name: 'action', required: false, description: 'action, e.g. account.create, queue.hold' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  list(@Query(new ZodPipe(AuditListQuery)) query: AuditListQueryParams): Promise<AuditList> {
    return this.audit.list(query);
  }
}
