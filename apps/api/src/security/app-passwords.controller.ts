import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AppPasswordList, CreateAppPasswordRequest, type CreatedAppPassword } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { CreateAppPasswordRequest as CreateAppPasswordBody } from '@correio/contracts';
import { AppPasswordList as AppPasswordListSchema, CreatedAppPassword as CreatedAppPasswordSchema } from '@correio/contracts';
import { CurrentAccount, SessionOnly } from '../auth/session.guard.js';
import { ApiResult } from '../common/api-result.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { AppPasswordsService } from './app-passwords.service.js';

/** App passwords for IMAP, POP3 and SMTP clients. Session only: an API key gets 403. */
@ApiTags('account')
@Controller('api/v1/account/app-passwords')
@SessionOnly()
export class AppPasswordsController {
  constructor(private readonly appPasswords: AppPasswordsService) {}

  @Post()
  @ApiResult(CreatedAppPasswordSchema, { errors: [409] })
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an app password for the chosen protocols (imap, pop3, smtp); the password is in this answer only' })
  create(
    @CurrentAccount() account: AccountInfo,
    @Body(new ZodPipe(CreateAppPasswordRequest)) body: CreateAppPasswordBody,
  ): Promise<CreatedAppPassword> {
    return this.appPasswords.create(account.id, body);
  }

  @Get()
  @ApiResult(AppPasswordListSchema)
  @ApiOperation({ summary: "The account's app passwords with their protocols and last use (time and IP)" })
  list(@CurrentAccount() account: AccountInfo): Promise<AppPasswordList> {
    return this.appPasswords.list(account.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an app password: the next login with it fails, in every process; 404 for an unknown id' })
  async revoke(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<void> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('app password not found');
    await this.appPasswords.revoke(account.id, id);
  }
}
