import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  type DeleteMessageResult,
  type MessageDetail,
  MessageDetailQuery,
  type MessageSummary,
  type MessageFlagsView,
  MoveMessageRequest,
  UpdateFlagsRequest,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type {
  MessageDetailQuery as MessageDetailQueryBody,
  UpdateFlagsRequest as UpdateFlagsBody,
  MoveMessageRequest as MoveMessageRequestBody,
} from '@correio/contracts';
import { extractAttachment, renderMessage } from '@correio/mime';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { MessageFlagsService } from './message-flags.service.js';
import { contentDisposition } from './content-disposition.js';
import { toMessageSummary } from './message-view.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

function messageId(raw: string): string {
  const id = parseId(raw);
  if (id === undefined) throw AppError.notFound('message not found');
  return id.toString();
}

@ApiTags('messages')
@Controller('api/v1/messages')
export class MessagesController {
  constructor(
    private readonly store: MailboxStoreService,
    private readonly flags: MessageFlagsService,
  ) {}

  @Get(':id')
  @RequireScope('mail:read')
  @ApiResponse({
    status: 200,
    description: 'MessageDetail: headers, text, sanitized HTML, attachments (index = the attachment id)',
    schema: schemaRef('MessageDetail'),
  })
  @ApiResponse({ status: 404, description: "Not one of the account's messages", schema: API_ERROR })
  @ApiOperation({ summary: 'One message: headers, text, sanitized HTML (remote content blocked unless ?remote=allow), attachments' })
  async get(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Query(new ZodPipe(MessageDetailQuery)) query: MessageDetailQueryBody,
  ): Promise<MessageDetail> {
    const { row, raw } = await this.store.getRaw(account.id, messageId(rawId));
    const r = await renderMessage(raw, { allowRemote: query.remote === 'allow' });
    return {
      ...toMessageSummary(row),
      cc: row.ccAddresses,
      replyTo: r.replyTo,
      messageId: row.messageIdHdr,
      inReplyTo: r.inReplyTo,
      references: r.references,
      draft: row.draft,
      sentAt: row.sentDate ? row.sentDate.toISOString() : null,
      text: r.text,
      html: r.html,
      hasRemoteContent: r.hasRemoteContent,
      attachments: r.attachments,
      headers: r.headers,
    };
  }

  @Get(':id/raw')
  @RequireScope('mail:read')
  @ApiProduces('message/rfc822')
  @ApiResponse({ status: 200, description: 'message/rfc822 bytes' })
  @ApiResponse({ status: 404, description: "Not one of the account's messages", schema: API_ERROR })
  @ApiOperation({ summary: 'The message exactly as received (message/rfc822, .eml)' })
  async raw(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string, @Res() reply: FastifyReply): Promise<void> {
    const { row, raw } = await this.store.getRaw(account.id, messageId(rawId));
    await reply
      .header('content-type', 'message/rfc822')
      .header('content-disposition', contentDisposition('attachment', `${row.subject || 'message'}.eml`))
      .header('x-content-type-options', 'nosniff')
      .send(raw);
  }

  @Get(':id/attachments/:index')
  @RequireScope('mail:read')
  @ApiProduces('application/octet-stream')
  @ApiResponse({ status: 200, description: 'The decoded bytes, as a download' })
  @ApiResponse({ status: 404, description: 'No such message of the account, or no such attachment', schema: API_ERROR })
  @ApiOperation({ summary: "An attachment's decoded bytes (always as a download)" })
  async attachment(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Param('index') rawIndex: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { raw } = await this.store.getRaw(account.id, messageId(rawId));
    const a = /^\d{1,4}$/.test(rawIndex) ? await extractAttachment(raw, Number(rawIndex)) : undefined;
    if (!a) throw AppError.notFound('attachment not found');
    // Served as a download with nosniff and a sandbox CSP, so an HTML or SVG attachment can never
    // run in our origin.
    await reply
      .header('content-type', a.meta.contentType)
      .header('content-disposition', contentDisposition('attachment', a.meta.filename))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(a.content);
  }

  @Patch(':id')
  @ApiBody({ schema: schemaRef('UpdateFlagsRequest') })
  @RequireScope('mail:write')
  @ApiOperation({
    summary: 'Set system flags (seen, flagged, answered, draft) and add/remove keywords (labels, IMAP keywords) in one change',
  })
  @ApiResponse({
    status: 200,
    description: 'MessageFlagsView: the message with its flags and keywords',
    schema: schemaRef('MessageFlagsView'),
  })
  @ApiResponse({ status: 400, description: 'Nothing to update, or a keyword that is no IMAP atom', schema: API_ERROR })
  @ApiResponse({ status: 404, description: "Not one of the account's messages", schema: API_ERROR })
  async update(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(UpdateFlagsRequest)) body: UpdateFlagsBody,
  ): Promise<MessageFlagsView> {
    return this.flags.update(account.id, messageId(rawId), body);
  }

  @Post(':id/move')
  @ApiBody({ schema: schemaRef('MoveMessageRequest') })
  @HttpCode(200)
  @RequireScope('mail:write')
  @ApiResponse({ status: 200, description: 'MessageSummary (a new id in the target mailbox)', schema: schemaRef('MessageSummary') })
  @ApiResponse({ status: 404, description: "The message or the mailbox is not the account's", schema: API_ERROR })
  @ApiOperation({ summary: 'Move to another mailbox of the same account' })
  async move(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(MoveMessageRequest)) body: MoveMessageRequestBody,
  ): Promise<MessageSummary> {
    return toMessageSummary(await this.store.move(account.id, messageId(rawId), body.mailboxId));
  }

  @Delete(':id')
  @RequireScope('mail:write')
  @ApiResponse({ status: 200, description: 'DeleteMessageResult', schema: schemaRef('DeleteMessageResult') })
  @ApiResponse({ status: 404, description: "Not one of the account's messages", schema: API_ERROR })
  @ApiOperation({ summary: 'Delete: to Trash; from Trash, for good' })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<DeleteMessageResult> {
    return this.store.trashOrExpunge(account.id, messageId(rawId));
  }
}
