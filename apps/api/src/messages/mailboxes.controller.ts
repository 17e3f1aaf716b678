import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type MailboxList, type MessageList, MessageListQuery } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { MessageListQuery as MessageListQueryBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { decodeCursor, encodeCursor, sortMailboxes, toMailboxView, toMessageSummary } from './message-view.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

@ApiTags('mailboxes')
@Controller('api/v1/mailboxes')
export class MailboxesController {
  constructor(private readonly store: MailboxStoreService) {}

  @Get()
  @RequireScope('mail:read')
  @ApiResponse({ status: 200, description: 'MailboxList', schema: schemaRef('MailboxList') })
  @ApiOperation({ summary: "The account's mailboxes with total and unread counts" })
  async list(@CurrentAccount() account: AccountInfo): Promise<MailboxList> {
    const rows = await this.store.listMailboxes(account.id);
    return { items: sortMailboxes(rows.map(toMailboxView)) };
  }

  @Get(':id/messages')
  @RequireScope('mail:read')
  @ApiResponse({ status: 200, description: 'MessageList', schema: schemaRef('MessageList') })
  @ApiResponse({ status: 400, description: 'A bad cursor or limit', schema: API_ERROR })
  @ApiResponse({ status: 404, description: "Not one of the account's mailboxes", schema: API_ERROR })
  @ApiOperation({ summary: 'Messages of a mailbox, newest first, keyset-paginated (?limit, ?cursor)' })
  async messages(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Query(new ZodPipe(MessageListQuery)) query: MessageListQueryBody,
  ): Promise<MessageList> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('mailbox not found');
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    if (query.cursor && !cursor) throw AppError.invalid('invalid cursor');
    // One extra row tells whether another page exists without a COUNT.
    const rows = await this.store.listMessages(account.id, id.toString(), query.limit + 1, cursor);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { items: page.map(toMessageSummary), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }
}
