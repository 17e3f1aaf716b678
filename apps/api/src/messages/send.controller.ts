import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CancelSendRequest, type CancelSendResult, SendMessageRequest, type SendMessageResult } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { CancelSendRequest as CancelSendRequestBody, SendMessageRequest as SendMessageRequestBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { SendService } from '../outgoing/send.service.js';
import { CancelSendResult as CancelSendResultSchema, SendMessageResult as SendMessageResultSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class SendController {
  constructor(private readonly sender: SendService) {}

  @Post('send')
  @ApiResult(SendMessageResultSchema, { errors: [507] })
  @RequireScope('mail:send')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Send a message: local recipients get it at once, others are queued for delivery; the Sent mailbox gets a copy. ' +
      'With sendAt (scheduled) or undoSeconds (undo send) every recipient waits in the queue until then. ' +
      '400 for bad input or an unknown local recipient, 403 for a From the account may not use, 507 when a local mailbox is full.',
  })
  send(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(SendMessageRequest)) body: SendMessageRequestBody): Promise<SendMessageResult> {
    return this.sender.send(account, body);
  }

  @Post('send/:queueId/cancel')
  @ApiResult(CancelSendResultSchema, { errors: [409] })
  @RequireScope('mail:send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo send / cancel a scheduled send while nothing of it has started (409 after); the Sent copy (sentId) goes back to Drafts' })
  cancel(
    @CurrentAccount() account: AccountInfo,
    @Param('queueId') rawId: string,
    @Body(new ZodPipe(CancelSendRequest)) body: CancelSendRequestBody,
  ): Promise<CancelSendResult> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('queue entry not found');
    return this.sender.cancel(account, id.toString(), body.sentId);
  }
}
