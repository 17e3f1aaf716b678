import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  AdminAccount as AdminAccountSchema,
  AdminAccountList as AdminAccountListSchema,
  CreateAccountResult as CreateAccountResultSchema,
  ResetPasswordResult as ResetPasswordResultSchema,
} from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  type AdminAccount,
  type AdminAccountList,
  AccountListQuery,
  CreateAccountRequest,
  type CreateAccountResult,
  ResetPasswordRequest,
  type ResetPasswordResult,
  UpdateAccountRequest,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same names.
import type {
  AccountListQuery as AccountListParams,
  CreateAccountRequest as CreateAccountBody,
  ResetPasswordRequest as ResetPasswordBody,
  UpdateAccountRequest as UpdateAccountBody,
} from '@correio/contracts';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import type { AuthenticatedSession } from '../auth/auth.service.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import { ZodPipe } from '../common/zod-validation.js';
import { normalizeAddress } from '../directory/address.js';
import { DirectoryService } from '../directory/directory.service.js';
import { AdminGuard } from './admin.guard.js';
import { generatePassword } from './accounts/generate-password.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AuditRecord } from './audit/audit-trail.js';
import type { RecordWithin } from '../common/record-within.js';

type SessionRequest = FastifyRequest & { session?: AuthenticatedSession };

/** Accounts for admins: the CLI's `account` commands over REST (DirectoryService), plus disable and quota. */
@ApiTags('admin')
@Controller('api/v1/admin/accounts')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminAccountsController {
  constructor(private readonly directory: DirectoryService) {}

  @ApiResult(AdminAccountListSchema)
  @Get()
  @ApiOperation({ summary: 'Accounts in address order with usage, quota, last login and state; search address or display name (admin)' })
  @ApiQuery({ name: 'q', required: false, description: 'part of the address or display name' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async list(@Query(new ZodPipe(AccountListQuery)) query: AccountListParams): Promise<AdminAccountList> {
    const rows = await this.directory.searchAccounts({ search: query.q, after: query.cursor, limit: query.limit + 1 });
    const accounts = rows.slice(0, query.limit);
    return { accounts, nextCursor: rows.length > query.limit ? accounts[accounts.length - 1]!.address : null };
  }

  @ApiResult(CreateAccountResultSchema, { errors: [409] })
  @Post()
  @Audited({ action: 'account.create', targetField: 'address' })
  @ApiOperation({ summary: 'Create an account (and its domain if new); without a password one is generated and returned once (admin)' })
  async create(
    @Body(new ZodPipe(CreateAccountRequest)) body: CreateAccountBody,
    @AuditRecord() audit: RecordWithin,
  ): Promise<CreateAccountResult> {
    const generated = body.password === undefined ? generatePassword() : undefined;
    const { domainCreated: _, ...account } = await this.directory.addAccount(
      {
        address: body.address,
        password: body.password ?? generated!,
        role: body.role,
        displayName: body.displayName,
        quotaBytes: body.quotaBytes === undefined ? undefined : BigInt(body.quotaBytes),
      },
      audit,
    );
    return generated ? { account, generatedPassword: generated } : { account };
  }

  @ApiResult(AdminAccountSchema)
  @Get(':address')
  @ApiOperation({ summary: 'One account (admin)' })
  async get(@Param('address') address: string): Promise<AdminAccount> {
    const a = await this.directory.findAccount(address);
    if (!a) throw AppError.notFound(`no account ${address}`);
    return a;
  }

  @ApiResult(AdminAccountSchema, { errors: [409] })
  @Patch(':address')
  @Audited({ action: 'account.update', targetParam: 'address' })
  @ApiOperation({ summary: 'Change display name, quota (bytes, 0 = unlimited), admin role, disabled (admin)' })
  update(
    @Param('address') address: string,
    @Body(new ZodPipe(UpdateAccountRequest)) body: UpdateAccountBody,
    @Req() req: SessionRequest,
    @AuditRecord() audit: RecordWithin,
  ): Promise<AdminAccount> {
    // An admin cannot lock themself out: the last way back in would be the CLI.
    if (this.isSelf(req, address) && (body.disabled === true || body.role === 'user')) {
      throw new AppError(ErrorCode.Conflict, 'you cannot disable yourself or remove your own admin role');
    }
    const changes = {
      displayName: body.displayName,
      quotaBytes: body.quotaBytes === undefined ? undefined : BigInt(body.quotaBytes),
      role: body.role,
      disabled: body.disabled,
    };
    return this.directory.updateAccount(address, changes, audit);
  }

  @ApiResult(ResetPasswordResultSchema)
  @Post(':address/password')
  @HttpCode(200)
  @Audited({ action: 'account.password', targetParam: 'address' })
  @ApiOperation({ summary: "Reset the account's password; without one a password is generated and returned once (admin)" })
  async password(
    @Param('address') address: string,
    @Body(new ZodPipe(ResetPasswordRequest)) body: ResetPasswordBody,
    @AuditRecord() audit: RecordWithin,
  ): Promise<ResetPasswordResult> {
    const generated = body.password === undefined ? generatePassword() : undefined;
    await this.directory.setPassword(address, body.password ?? generated!, audit);
    return generated ? { generatedPassword: generated } : {};
  }

  @ApiResult(AdminAccountSchema, { errors: [409] })
  @Delete(':address')
  @HttpCode(202)
  @Audited({ action: 'account.remove', targetParam: 'address' })
  @ApiOperation({ summary: 'Remove an account: disabled at once (no login, 550 5.2.1), its mail deleted in the background (admin)' })
  remove(@Param('address') address: string, @Req() req: SessionRequest, @AuditRecord() audit: RecordWithin): Promise<AdminAccount> {
    if (this.isSelf(req, address)) throw new AppError(ErrorCode.Conflict, 'you cannot remove your own account');
    return this.directory.requestAccountRemoval(address, audit);
  }

  private isSelf(req: SessionRequest, address: string): boolean {
    return req.session?.account.address === normalizeAddress(address);
  }
}
