import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ApiKeyList, CreateApiKeyRequest, type CreatedApiKey } from '@correio/contracts';
// Type-only alias: decorator metadata must not point at the zod schema value of the same name.
import type { CreateApiKeyRequest as CreateApiKeyRequestBody } from '@correio/contracts';
import { CurrentAccount, SessionOnly } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKeyList as ApiKeyListSchema, CreatedApiKey as CreatedApiKeySchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

/**
 * Key management. A logged-in session only: a key can neither mint keys (that would let a leaked
 * mail:read key outlive its own revocation) nor list or revoke them (403 for Bearer requests).
 */
@ApiTags('api-keys')
@Controller('api/v1/api-keys')
@SessionOnly()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiResult(CreatedApiKeySchema)
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Create an API key (session only). The secret `key` is in this answer and never again; store it now. ' +
      '403 for the admin scope on a non-admin account, 400 for an expiry in the past.',
  })
  create(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(CreateApiKeyRequest)) body: CreateApiKeyRequestBody): Promise<CreatedApiKey> {
    return this.keys.create(account, body);
  }

  @Get()
  @ApiResult(ApiKeyListSchema)
  @ApiOperation({ summary: "The account's API keys with their last use (session only; secrets are never shown again)" })
  list(@CurrentAccount() account: AccountInfo): Promise<ApiKeyList> {
    return this.keys.list(account);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key at once, in every process (session only); 404 for an unknown id' })
  async revoke(@CurrentAccount() account: AccountInfo, @Param('id') rawId: string): Promise<void> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('API key not found');
    await this.keys.revoke(account, id);
  }
}
