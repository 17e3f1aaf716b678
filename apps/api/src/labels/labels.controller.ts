import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Counts as CountsSchema, LabelList as LabelListSchema, LabelView as LabelViewSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Counts, CreateLabelRequest, type LabelList, type LabelView, UpdateLabelRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { CreateLabelRequest as CreateLabelBody, UpdateLabelRequest as UpdateLabelBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { LabelsService } from './labels.service.js';

@ApiTags('labels')
@Controller('api/v1')
export class LabelsController {
  constructor(private readonly labels: LabelsService) {}

  @ApiResult(LabelListSchema)
  @Get('labels')
  @RequireScope('mail:read')
  @ApiOperation({ summary: "The account's labels (IMAP keywords with a name and colour) with total and unread counts" })
  async list(@CurrentAccount() account: AccountInfo): Promise<LabelList> {
    return { items: await this.labels.list(account.id) };
  }

  @ApiResult(LabelViewSchema, { errors: [409] })
  @Post('labels')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Creates a label; its IMAP keyword is derived from the name. 409 when the name is taken.' })
  create(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(CreateLabelRequest)) body: CreateLabelBody): Promise<LabelView> {
    return this.labels.create(account.id, body);
  }

  @ApiResult(LabelViewSchema, { errors: [409] })
  @Patch('labels/:id')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Renames or recolours a label; a rename rewrites its keyword on every message (new modseq, IMAP sees it)' })
  update(
    @CurrentAccount() account: AccountInfo,
    @Param('id') id: string,
    @Body(new ZodPipe(UpdateLabelRequest)) body: UpdateLabelBody,
  ): Promise<LabelView> {
    return this.labels.update(account.id, id, body);
  }

  @Delete('labels/:id')
  @HttpCode(204)
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Deletes a label and removes its keyword from every message (the messages stay)' })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<void> {
    await this.labels.delete(account.id, id);
  }

  @ApiResult(CountsSchema)
  @Get('counts')
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'Unread counts per mailbox, unread and total per label (Trash/Junk not counted in labels)' })
  counts(@CurrentAccount() account: AccountInfo): Promise<Counts> {
    return this.labels.counts(account.id);
  }
}
