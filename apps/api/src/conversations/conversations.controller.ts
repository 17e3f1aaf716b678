import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ConversationDetail as ConversationDetailSchema,
  ConversationList as ConversationListSchema,
  MessagePage as MessagePageSchema,
} from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type ConversationDetail,
  ConversationDetailQuery,
  type ConversationList,
  ConversationListQuery,
  type MessagePage,
  MessagePageQuery,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type {
  ConversationDetailQuery as DetailQuery,
  ConversationListQuery as ListQuery,
  MessagePageQuery as PageQuery,
} from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { ConversationsService } from './conversations.service.js';

@ApiTags('conversations')
@Controller('api/v1')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Get('conversations')
  @ApiResult(ConversationListSchema)
  @RequireScope('mail:read')
  @ApiOperation({
    summary:
      'Conversations (messages grouped by thread across mailboxes) of a mailbox (default INBOX) or a label, newest first, ' +
      'keyset-paged (?limit, ?cursor); Trash and Junk left out unless viewed',
  })
  list(@CurrentAccount() account: AccountInfo, @Query(new ZodPipe(ConversationListQuery)) query: ListQuery): Promise<ConversationList> {
    return this.conversations.list(account.id, query);
  }

  @Get('conversations/:threadId')
  @ApiResult(ConversationDetailSchema)
  @RequireScope('mail:read')
  @ApiOperation({ summary: "A conversation's messages across mailboxes, oldest first (?mailboxId: the view it was opened from)" })
  get(
    @CurrentAccount() account: AccountInfo,
    @Param('threadId') threadId: string,
    @Query(new ZodPipe(ConversationDetailQuery)) query: DetailQuery,
  ): Promise<ConversationDetail> {
    return this.conversations.get(account.id, threadId, query.mailboxId);
  }

  @Get('mailboxes/:id/page')
  @ApiResult(MessagePageSchema)
  @RequireScope('mail:read')
  @ApiOperation({ summary: "A mailbox's messages with their labels, newest first, keyset-paged (?limit, ?cursor)" })
  page(
    @CurrentAccount() account: AccountInfo,
    @Param('id') id: string,
    @Query(new ZodPipe(MessagePageQuery)) query: PageQuery,
  ): Promise<MessagePage> {
    return this.conversations.page(account.id, id, query);
  }
}
