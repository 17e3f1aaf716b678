import { Controller, HttpCode, Param, Post, Query, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type ImportMessageResult, ImportMessageQuery } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { ImportMessageQuery as ImportMessageParams } from '@correio/contracts';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { RAW_MESSAGE_TYPES } from './raw-message-parser.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

const IMAP_FLAG = { seen: '\\Seen', flagged: '\\Flagged', answered: '\\Answered', draft: '\\Draft' } as const;

@ApiTags('mailboxes')
@Controller('api/v1/mailboxes')
export class ImportController {
  constructor(
    private readonly imap: ImapStoreService,
    private readonly store: MailboxStoreService,
  ) {}

  @Post(':id/messages')
  @HttpCode(201)
  @RequireScope('mail:write')
  @ApiConsumes(...RAW_MESSAGE_TYPES)
  @ApiQuery({ name: 'flags', required: false, description: 'Comma-separated: seen, flagged, answered, draft' })
  @ApiQuery({ name: 'keywords', required: false, description: 'Comma-separated keywords (labels), IMAP atoms' })
  @ApiQuery({ name: 'date', required: false, description: 'Internal (received) date, ISO 8601; default now' })
  @ApiBody({ description: 'The message exactly as it should be stored (RFC 5322 bytes)', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary: 'Import a raw message into a mailbox (like IMAP APPEND: parsed, indexed for search, quota checked, durable before the 201)',
    description: 'Query: flags=seen,flagged,answered,draft; keywords=Work,Invoices; date=ISO 8601 internal date (default now).',
  })
  @ApiResponse({ status: 201, description: 'ImportMessageResult', schema: schemaRef('ImportMessageResult') })
  @ApiResponse({ status: 400, description: 'Empty body or bad flags/keywords/date', schema: API_ERROR })
  @ApiResponse({ status: 404, description: "Not one of the account's mailboxes", schema: API_ERROR })
  @ApiResponse({ status: 413, description: 'Larger than CORREIO_MAX_MESSAGE_BYTES', schema: API_ERROR })
  @ApiResponse({ status: 415, description: 'Content-Type is not message/rfc822 (or message/global)', schema: API_ERROR })
  @ApiResponse({ status: 507, description: 'Over quota', schema: API_ERROR })
  async import(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Query(new ZodPipe(ImportMessageQuery)) query: ImportMessageParams,
    @Req() req: FastifyRequest,
  ): Promise<ImportMessageResult> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!RAW_MESSAGE_TYPES.includes(type)) throw new UnsupportedMediaTypeException('send the message as Content-Type: message/rfc822');
    const mailboxId = parseId(rawId)?.toString();
    if (!mailboxId) throw AppError.notFound('mailbox not found');
    const raw = req.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) throw AppError.invalid('empty message');
    const flags = [...(query.flags ?? []).map((f) => IMAP_FLAG[f]), ...(query.keywords ?? [])];
    // The APPEND path: resolves after COMMIT (DESIGN invariant 1), 404 for another account's mailbox.
    const { uidValidity, uid } = await this.imap.append(account.id, mailboxId, raw, flags, query.date ? new Date(query.date) : undefined);
    const row = await this.store.getMessageByUid(account.id, mailboxId, uid);
    return { id: row.id, mailboxId, uid, uidValidity, size: row.size };
  }
}
