import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type DraftView, SaveDraftRequest, type SaveDraftResult } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { SaveDraftRequest as SaveDraftRequestBody } from '@correio/contracts';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { DraftsService } from './drafts.service.js';
import { DraftView as DraftViewSchema, SaveDraftResult as SaveDraftResultSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

function draftId(raw: string): string {
  const id = parseId(raw);
  if (id === undefined) throw AppError.notFound('draft not found');
  return id.toString();
}

@ApiTags('compose')
@Controller('api/v1/drafts')
export class DraftsController {
  constructor(private readonly drafts: DraftsService) {}

  @Put()
  @ApiResult(SaveDraftResultSchema, { errors: [507] })
  @ApiOperation({
    summary:
      'Save a new draft (a MIME message in Drafts with \\Draft; Bcc kept). Answers the new id, its attachments and, parallel to the ' +
      "request's attachments, the reference each became (use those in the next save and the send). 400 for bad input or an attachment reference to nothing, " +
      '413 over the message size limit, 507 when the mailbox is full.',
  })
  create(
    @CurrentAccount() account: AccountInfo,
    @Body(new ZodPipe(SaveDraftRequest)) body: SaveDraftRequestBody,
  ): Promise<SaveDraftResult> {
    return this.drafts.save(account, body);
  }

  @Put(':id')
  @ApiResult(SaveDraftResultSchema, { errors: [507] })
  @ApiOperation({
    summary:
      'Replace a draft: the new version is stored and the old one expunged in one transaction (the id changes, and so do the ' +
      'references to its attachments: use the returned refs). ' +
      '404 when the old draft is gone or is no draft; otherwise as PUT /api/v1/drafts.',
  })
  replace(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(SaveDraftRequest)) body: SaveDraftRequestBody,
  ): Promise<SaveDraftResult> {
    return this.drafts.save(account, body, draftId(rawId));
  }

  @Get(':id')
  @ApiResult(DraftViewSchema)
  @ApiOperation({
    summary: 'A draft as compose state (sanitized HTML, Bcc, threading, attachments by reference). 404 when it is no draft of the account.',
  })
  get(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<DraftView> {
    return this.drafts.get(account, draftId(rawId));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Discard a draft (expunged, not moved to Trash). 404 when it is no draft of the account.' })
  async discard(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<void> {
    await this.drafts.discard(account, draftId(rawId));
  }
}
