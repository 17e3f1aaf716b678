import { Controller, Get, Param } from '@nestjs/common';
import { MessageTrust as MessageTrustSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MessageTrust } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { TrustService } from './trust.service.js';

@ApiTags('messages')
@Controller('api/v1/messages')
export class TrustController {
  constructor(private readonly trust: TrustService) {}

  @Get(':id/trust')
  @ApiResult(MessageTrustSchema)
  @RequireScope('mail:read')
  @ApiOperation({
    summary: 'SPF/DKIM/DMARC verdicts stored at delivery and a look-alike check of the From domain, with a warning sentence',
  })
  get(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<MessageTrust> {
    return this.trust.trust(account.id, id);
  }
}
