import { Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type QueueActionResult,
  type QueueAttemptList,
  type QueueEntryDetail,
  type QueueEntryList,
  QueueListQuery,
} from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { QueueListQuery as QueueListQueryParams } from '@correio/contracts';
import { ZodPipe } from '../common/zod-validation.js';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { QueueInspectionService } from '../delivery/queue-inspection.service.js';
import { RequireScope } from '../auth/api-scope.js';
import { AdminGuard } from './admin.guard.js';
import {
  QueueActionResult as QueueActionResultSchema,
  QueueAttemptList as QueueAttemptListSchema,
  QueueEntryDetail as QueueEntryDetailSchema,
  QueueEntryList as QueueEntryListSchema,
} from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AuditRecord } from './audit/audit-trail.js';
import type { RecordWithin } from '../common/record-within.js';

/** The outbound queue for admins: list, inspect, attempt history, retry now, hold/release, delete. */
@ApiTags('admin')
@Controller('api/v1/admin/queue')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminQueueController {
  constructor(
    private readonly inspection: QueueInspectionService,
    private readonly queue: OutboundQueueService,
  ) {}

  @Get()
  @ApiResult(QueueEntryListSchema)
  @ApiOperation({
    summary: 'Queue entries, newest first; filter by recipient state, recipient domain, envelope sender ("<>" for bounces) (admin)',
  })
  @ApiQuery({
    name: 'state',
    required: false,
    enum: ['queued', 'deferred', 'delivered', 'bounced', 'held'],
    description: 'entries with a recipient in this state',
  })
  @ApiQuery({ name: 'domain', required: false, description: 'entries with a recipient at this domain' })
  @ApiQuery({ name: 'sender', required: false, description: 'envelope sender, exactly; "<>" for the null sender' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  list(@Query(new ZodPipe(QueueListQuery)) query: QueueListQueryParams): Promise<QueueEntryList> {
    return this.inspection.list(query);
  }

  @Get(':id')
  @ApiResult(QueueEntryDetailSchema)
  @ApiOperation({ summary: 'One queue entry: recipients with state, attempts, next attempt and last reply; header summary (admin)' })
  get(@Param('id') id: string): Promise<QueueEntryDetail> {
    return this.inspection.get(id);
  }

  @Get(':id/recipients/:recipientId/attempts')
  @ApiResult(QueueAttemptListSchema)
  @ApiOperation({ summary: "A recipient's delivery attempts: time, result, remote reply, remote host (admin)" })
  attempts(@Param('id') id: string, @Param('recipientId') recipientId: string): Promise<QueueAttemptList> {
    return this.inspection.attempts(id, recipientId);
  }

  @Post(':id/retry')
  @ApiResult(QueueActionResultSchema)
  @Audited({ action: 'queue.retry', targetParam: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Make every waiting recipient due now (ends a scheduled wait; held ones stay held) (admin)' })
  async retry(@Param('id') id: string, @AuditRecord() audit: RecordWithin): Promise<QueueActionResult> {
    return { id, changed: await this.queue.retryNow(id, {}, audit) };
  }

  @Post(':id/hold')
  @ApiResult(QueueActionResultSchema)
  @Audited({ action: 'queue.hold', targetParam: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Hold the waiting recipients until released (admin)' })
  async hold(@Param('id') id: string, @AuditRecord() audit: RecordWithin): Promise<QueueActionResult> {
    return { id, changed: await this.queue.hold(id, {}, audit) };
  }

  @Post(':id/release')
  @ApiResult(QueueActionResultSchema)
  @Audited({ action: 'queue.release', targetParam: 'id' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Release held recipients, due now (admin)' })
  async release(@Param('id') id: string, @AuditRecord() audit: RecordWithin): Promise<QueueActionResult> {
    return { id, changed: await this.queue.release(id, {}, audit) };
  }

  @Delete(':id')
  @ApiResult(null, { errors: [409] })
  @Audited({ action: 'queue.delete', targetParam: 'id' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the entry (no DSN); 409 while a worker is delivering it (admin)' })
  async remove(@Param('id') id: string, @AuditRecord() audit: RecordWithin): Promise<void> {
    await this.queue.delete(id, {}, audit);
  }
}
