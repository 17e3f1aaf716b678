import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { MessageDeliveryStatus, ScheduledMessageList } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { SentMailService } from '../outgoing/sent-mail.service.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class SentMailController {
  constructor(private readonly sent: SentMailService) {}

  @Get('scheduled')
  @RequireScope('mail:read')
  @ApiResponse({ status: 200, description: 'ScheduledMessageList', schema: schemaRef('ScheduledMessageList') })
  @ApiOperation({
    summary: 'Scheduled sends and undo windows that have not started (cancel with POST /api/v1/messages/send/:queueId/cancel)',
  })
  scheduled(@CurrentAccount() account: AccountInfo): Promise<ScheduledMessageList> {
    return this.sent.scheduled(account.id);
  }

  @Get(':id/delivery')
  @RequireScope('mail:read')
  @ApiResponse({ status: 200, description: 'MessageDeliveryStatus', schema: schemaRef('MessageDeliveryStatus') })
  @ApiResponse({ status: 404, description: "Not one of the account's messages", schema: API_ERROR })
  @ApiOperation({
    summary:
      "What happened to each recipient of a message the account sent (from the outbound queue's records; bounces and deferrals explained). " +
      "404 for a message that is not the account's, or was never queued and is not in Sent.",
  })
  delivery(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<MessageDeliveryStatus> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('message not found');
    return this.sent.delivery(account.id, id.toString());
  }
}
