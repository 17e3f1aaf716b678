import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AccountProfile,
  ChangePasswordRequest,
  type ChangePasswordResult,
  type SignOutOthersResult,
  UpdateProfileRequest,
  type WebSessionList,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { ChangePasswordRequest as ChangePasswordBody, UpdateProfileRequest as UpdateProfileBody } from '@correio/contracts';
import {
  AccountProfile as AccountProfileSchema,
  ChangePasswordResult as ChangePasswordResultSchema,
  SignOutOthersResult as SignOutOthersSchema,
  WebSessionList as WebSessionListSchema,
} from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import { ZodPipe, parseId } from '../common/zod-validation.js';
import { AccountCredentialsService } from '../directory/account-credentials.service.js';
import { AccountSessionsService } from './account-sessions.service.js';
import type { AuthenticatedSession } from './auth.service.js';
import { CurrentSession, SessionOnly } from './session.guard.js';

/** The signed-in person's profile, password and web sessions (issue 15). Session only: a key gets 403. */
@ApiTags('account')
@Controller('api/v1/account')
@SessionOnly()
export class AccountController {
  constructor(
    private readonly accountSessions: AccountSessionsService,
    private readonly credentials: AccountCredentialsService,
  ) {}

  @Get('profile')
  @ApiResult(AccountProfileSchema)
  @ApiOperation({ summary: 'The address and display name (the name shown in From of mail you send)' })
  profile(@CurrentSession() session: AuthenticatedSession | undefined): AccountProfile {
    const s = need(session);
    return { address: s.account.address, displayName: s.account.displayName };
  }

  @Patch('profile')
  @ApiResult(AccountProfileSchema)
  @ApiOperation({ summary: 'Change the display name' })
  async updateProfile(
    @CurrentSession() session: AuthenticatedSession | undefined,
    @Body(new ZodPipe(UpdateProfileRequest)) body: UpdateProfileBody,
  ): Promise<AccountProfile> {
    const s = need(session);
    return { address: s.account.address, displayName: await this.credentials.setDisplayName(s.account.id, body.displayName) };
  }

  @Post('password')
  @ApiResult(ChangePasswordResultSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Change the password (the current one required); signs out every other web session, keeps this one' })
  changePassword(
    @CurrentSession() session: AuthenticatedSession | undefined,
    @Body(new ZodPipe(ChangePasswordRequest)) body: ChangePasswordBody,
  ): Promise<ChangePasswordResult> {
    return this.accountSessions.changePassword(need(session), body.currentPassword, body.newPassword);
  }

  @Get('sessions')
  @ApiResult(WebSessionListSchema)
  @ApiOperation({ summary: 'Signed-in web sessions: device (from the User-Agent), IP, last seen; isCurrent marks this one' })
  sessions(@CurrentSession() session: AuthenticatedSession | undefined): Promise<WebSessionList> {
    return this.accountSessions.list(need(session));
  }

  @Post('sessions/sign-out-others')
  @ApiResult(SignOutOthersSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out every web session but this one' })
  async signOutOthers(@CurrentSession() session: AuthenticatedSession | undefined): Promise<SignOutOthersResult> {
    return { signedOut: await this.accountSessions.signOutOthers(need(session)) };
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out one web session at once; 404 for an unknown id' })
  async signOut(@CurrentSession() session: AuthenticatedSession | undefined, @Param('id') rawId: string): Promise<void> {
    const id = parseId(rawId);
    if (id === undefined) throw AppError.notFound('session not found');
    await this.accountSessions.signOut(need(session), id);
  }
}

function need(session: AuthenticatedSession | undefined): AuthenticatedSession {
  if (!session) throw new AppError(ErrorCode.Unauthenticated, 'not logged in');
  return session;
}
