import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CreateMailboxRequest, type MailboxView, RenameMailboxRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { CreateMailboxRequest as CreateMailboxBody, RenameMailboxRequest as RenameMailboxBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { ImapStoreService } from '../mailbox-store/imap-store.service.js';
import type { ImapMailbox } from '../mailbox-store/imap-store.types.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { toMailboxView } from './message-view.js';
import { API_ERROR, schemaRef } from './openapi-schemas.js';

/**
 * Mailbox create / rename / delete for programs and the webmail, through the very operations IMAP
 * CREATE, RENAME and DELETE use (RFC 9051 §6.3.4, §6.3.10, §6.3.9), so both see the same folders.
 */
@ApiTags('mailboxes')
@Controller('api/v1/mailboxes')
export class MailboxChangesController {
  constructor(
    private readonly imap: ImapStoreService,
    private readonly store: MailboxStoreService,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('mail:write')
  @ApiBody({ schema: schemaRef('CreateMailboxRequest') })
  @ApiOperation({ summary: 'Create a mailbox ("/" separates levels; missing parents are created too)' })
  @ApiResponse({ status: 201, description: 'MailboxView', schema: schemaRef('MailboxView') })
  @ApiResponse({ status: 400, description: 'An invalid name (empty level, control characters, % or *)', schema: API_ERROR })
  @ApiResponse({ status: 409, description: 'A mailbox with that name exists', schema: API_ERROR })
  async create(
    @CurrentAccount() account: AccountInfo,
    @Body(new ZodPipe(CreateMailboxRequest)) body: CreateMailboxBody,
  ): Promise<MailboxView> {
    const created = await this.imap.createMailbox(account.id, body.name);
    return this.view(account.id, created.id);
  }

  @Patch(':id')
  @RequireScope('mail:write')
  @ApiBody({ schema: schemaRef('RenameMailboxRequest') })
  @ApiOperation({
    summary: 'Rename a mailbox: its children move with it, messages keep their UIDs. Renaming INBOX moves its mail into a new mailbox.',
  })
  @ApiResponse({ status: 200, description: 'MailboxView (the renamed mailbox; for INBOX, the new one)', schema: schemaRef('MailboxView') })
  @ApiResponse({ status: 403, description: 'Moving a mailbox into itself', schema: API_ERROR })
  @ApiResponse({ status: 404, description: "Not one of the account's mailboxes", schema: API_ERROR })
  @ApiResponse({ status: 409, description: 'The new name exists', schema: API_ERROR })
  async rename(
    @CurrentAccount() account: AccountInfo,
    @Param('id') rawId: string,
    @Body(new ZodPipe(RenameMailboxRequest)) body: RenameMailboxBody,
  ): Promise<MailboxView> {
    const box = await this.find(account.id, rawId);
    await this.imap.renameMailbox(account.id, box.name, body.name);
    if (box.name === 'INBOX') {
      const created = await this.imap.findMailbox(account.id, body.name);
      if (!created) throw AppError.notFound('mailbox not found');
      return this.view(account.id, created.id);
    }
    return this.view(account.id, box.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Delete a mailbox and every message in it (for good, not to Trash); its child mailboxes stay' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 403, description: 'INBOX, or the last Sent or Drafts mailbox', schema: API_ERROR })
  @ApiResponse({ status: 404, description: "Not one of the account's mailboxes", schema: API_ERROR })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<void> {
    const box = await this.find(account.id, rawId);
    await this.imap.deleteMailbox(account.id, box.name);
  }

  private async find(accountId: string, rawId: string): Promise<ImapMailbox> {
    const id = parseId(rawId)?.toString();
    const box = id ? (await this.imap.listMailboxes(accountId)).find((b) => b.id === id) : undefined;
    if (!box) throw AppError.notFound('mailbox not found');
    return box;
  }

  private async view(accountId: string, id: string): Promise<MailboxView> {
    const row = (await this.store.listMailboxes(accountId)).find((m) => m.id === id);
    if (!row) throw AppError.notFound('mailbox not found');
    return toMailboxView(row);
  }
}
