import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SendMessageRequest, type SendMessageResult } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { SendMessageRequest as SendMessageRequestBody } from '@correio/contracts';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { SendService } from '../outgoing/send.service.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class SendController {
  constructor(private readonly sender: SendService) {}

  @Post('send')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Send a message: local recipients get it at once, others are queued for delivery; the Sent mailbox gets a copy. ' +
      '400 for bad input or an unknown local recipient, 403 for a From the account may not use, 507 when a local mailbox is full.',
  })
  send(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(SendMessageRequest)) body: SendMessageRequestBody): Promise<SendMessageResult> {
    return this.sender.send(account, body);
  }
}
