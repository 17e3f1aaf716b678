import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { BulkResult as BulkResultSchema, BulkUndoResult as BulkUndoResultSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { BulkRequest, type BulkResult, BulkUndoRequest, type BulkUndoResult } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { BulkRequest as BulkBody, BulkUndoRequest as BulkUndoBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { BulkService } from './bulk.service.js';

@ApiTags('bulk')
@Controller('api/v1/bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @ApiResult(BulkResultSchema)
  @HttpCode(200)
  @RequireScope('mail:write')
  @ApiOperation({
    summary:
      'Archive, delete, mark read/unread, star, move, label or report junk: message ids, conversations or every search match, ' +
      'in one request; returns an undo token (one hour)',
  })
  run(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(BulkRequest)) body: BulkBody): Promise<BulkResult> {
    return this.bulk.run(account.id, body);
  }

  @Post('undo')
  @ApiResult(BulkUndoResultSchema)
  @HttpCode(200)
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Reverts a bulk action (once; 404 for an unknown or expired token)' })
  async undo(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(BulkUndoRequest)) body: BulkUndoBody): Promise<BulkUndoResult> {
    return { restored: await this.bulk.undo(account.id, body.token) };
  }
}
