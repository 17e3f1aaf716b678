import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ConfirmTotpRequest,
  DisableTwoFactorRequest,
  ReauthRequest,
  type RecoveryCodes,
  type TotpSetup,
  type TwoFactorStatus,
} from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type {
  ConfirmTotpRequest as ConfirmBody,
  DisableTwoFactorRequest as DisableBody,
  ReauthRequest as ReauthBody,
} from '@correio/contracts';
import {
  RecoveryCodes as RecoveryCodesSchema,
  TotpSetup as TotpSetupSchema,
  TwoFactorStatus as TwoFactorStatusSchema,
} from '@correio/contracts';
import { CurrentAccount, SessionOnly } from '../auth/session.guard.js';
import { ApiResult } from '../common/api-result.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { TwoFactorService } from './two-factor.service.js';

/** Two-factor login (TOTP, RFC 6238, and recovery codes). Session only: an API key gets 403. */
@ApiTags('account')
@Controller('api/v1/account/two-factor')
@SessionOnly()
export class TwoFactorController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  @Get()
  @ApiResult(TwoFactorStatusSchema)
  @ApiOperation({ summary: 'Whether two-factor login is on, and how many recovery codes are left' })
  status(@CurrentAccount() account: AccountInfo): Promise<TwoFactorStatus> {
    return this.twoFactor.status(account.id);
  }

  @Post('totp')
  @ApiResult(TotpSetupSchema, { errors: [409] })
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new TOTP secret with its QR code; two-factor login stays off until confirmed with a code (409 when already on)',
  })
  begin(@CurrentAccount() account: AccountInfo): Promise<TotpSetup> {
    return this.twoFactor.beginTotp(account.id, account.address);
  }

  @Post('totp/confirm')
  @ApiResult(RecoveryCodesSchema, { errors: [409] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn two-factor login on with a first code; answers the ten recovery codes (shown only here)' })
  confirm(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(ConfirmTotpRequest)) body: ConfirmBody): Promise<RecoveryCodes> {
    return this.twoFactor.confirmTotp(account.id, body.code);
  }

  @Post('recovery-codes')
  @ApiResult(RecoveryCodesSchema, { errors: [409] })
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the recovery codes with ten new ones (the password again); the old ones stop working' })
  regenerate(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(ReauthRequest)) body: ReauthBody): Promise<RecoveryCodes> {
    return this.twoFactor.regenerateRecoveryCodes(account.id, body.password);
  }

  @Post('disable')
  @ApiResult(TwoFactorStatusSchema)
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn two-factor login off: needs the password and a code (TOTP or recovery)' })
  disable(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(DisableTwoFactorRequest)) body: DisableBody): Promise<TwoFactorStatus> {
    return this.twoFactor.disable(account.id, body.password, body.code);
  }
}
