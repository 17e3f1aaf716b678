import { Body, Controller, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ComposeSettings, type Identity, UpdateComposeSettingsRequest, UpdateSignatureRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { UpdateComposeSettingsRequest as UpdateComposeSettingsBody, UpdateSignatureRequest as UpdateSignatureBody } from '@correio/contracts';
import { CurrentAccount } from '../auth/session.guard.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { IdentityService } from '../directory/identity.service.js';
import { ComposeSettings as ComposeSettingsSchema, Identity as IdentitySchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';

@ApiTags('compose')
@Controller('api/v1/compose')
export class ComposeSettingsController {
  constructor(private readonly identities: IdentityService) {}

  @Get('settings')
  @ApiResult(ComposeSettingsSchema)
  @ApiOperation({ summary: 'What the compose window needs: the addresses the account sends as with their signatures, the undo-send window, the size limit' })
  settings(@CurrentAccount() account: AccountInfo): Promise<ComposeSettings> {
    return this.identities.settings(account.id);
  }

  @Patch('settings')
  @ApiResult(ComposeSettingsSchema)
  @ApiOperation({ summary: 'Set the undo-send window (0-30 s; 0 sends at once). 400 out of range.' })
  update(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(UpdateComposeSettingsRequest)) body: UpdateComposeSettingsBody): Promise<ComposeSettings> {
    return this.identities.setUndoSendSeconds(account.id, body.undoSendSeconds);
  }

  @Put('signatures/:address')
  @ApiResult(IdentitySchema)
  @ApiOperation({ summary: "Set the signature (HTML, sanitized) of an address the account sends as; '' removes it. 403 for any other address." })
  signature(
    @CurrentAccount() account: AccountInfo,
    @Param('address') address: string,
    @Body(new ZodPipe(UpdateSignatureRequest)) body: UpdateSignatureBody,
  ): Promise<Identity> {
    return this.identities.setSignature(account.id, address, body.html);
  }
}
