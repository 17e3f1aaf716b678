import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type DeleteMessageResult,
  type MessageDetail,
  MessageDetailQuery,
  type MessageSummary,
  MoveMessageRequest,
  UpdateMessageRequest,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { MessageDetailQuery as MessageDetailQueryBody, UpdateMessageRequest as UpdateMessageRequestBody, MoveMessageRequest as MoveMessageRequestBody } from '@correio/contracts';
import { extractAttachment, renderMessage } from '@correio/mime';
import type { FastifyReply } from 'fastify';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { contentDisposition } from './content-disposition.js';
import { toMessageSummary } from './message-view.js';
import { DeleteMessageResult as DeleteMessageResultSchema, MessageDetail as MessageDetailSchema, MessageSummary as MessageSummarySchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

function messageId(raw: string): string {
  const id = parseId(raw);
  if (id === undefined) throw AppError.notFound('message not found');
  return id.toString();
}

@ApiTags('messages')
@Controller('api/v1/messages')
export class MessagesController {
  constructor(private readonly store: MailboxStoreService) {}

  @Get(':id')
  @ApiResult(MessageDetailSchema)
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
      inReplyTo: r.summary.inReplyTo,
      references: r.summary.references,
      draft: row.draft,
      sentAt: row.sentDate ? row.sentDate.toISOString() : null,
      text: r.text,
      html: r.html,
      hasRemoteContent: r.hasRemoteContent,
      attachments: r.summary.attachments,
      headers: r.headers,
    };
  }

  @Get(':id/raw')
  @ApiResult(null, { contentType: 'message/rfc822', description: 'The message as stored (.eml)' })
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
  @ApiResult(null, { contentType: 'application/octet-stream', description: "The attachment's decoded bytes; Content-Type is the attachment's own" })
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
  @ApiResult(MessageSummarySchema)
  @ApiOperation({ summary: 'Set read/unread and flagged' })
  async update(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(UpdateMessageRequest)) body: UpdateMessageRequestBody,
  ): Promise<MessageSummary> {
    return toMessageSummary(await this.store.updateFlags(account.id, messageId(rawId), body));
  }

  @Post(':id/move')
  @ApiResult(MessageSummarySchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Move to another mailbox of the same account' })
  async move(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(MoveMessageRequest)) body: MoveMessageRequestBody,
  ): Promise<MessageSummary> {
    return toMessageSummary(await this.store.move(account.id, messageId(rawId), body.mailboxId));
  }

  @Delete(':id')
  @ApiResult(DeleteMessageResultSchema)
  @ApiOperation({ summary: 'Delete: to Trash; from Trash, for good' })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<DeleteMessageResult> {
    return this.store.trashOrExpunge(account.id, messageId(rawId));
  }
}
