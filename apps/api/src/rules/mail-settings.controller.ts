import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ForwardingRequest,
  ForwardingView as ForwardingViewSchema,
  SenderRuleList as SenderRuleListSchema,
  SenderRuleRequest,
  SenderRuleView as SenderRuleViewSchema,
  VacationRequest,
  VacationView as VacationViewSchema,
} from '@correio/contracts';
import type { ForwardingView, SenderRuleList, SenderRuleView, VacationView } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type {
  ForwardingRequest as ForwardingBody,
  SenderRuleRequest as SenderBody,
  VacationRequest as VacationBody,
} from '@correio/contracts';
import type { VacationSettings } from '@correio/mail-rules';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ApiResult } from '../common/api-result.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import type { SenderRuleRow } from './repositories/rules.repository.js';
import { RulesService } from './rules.service.js';

const vacationView = (v: VacationSettings): VacationView => ({
  ...v,
  startsAt: v.startsAt?.toISOString() ?? null,
  endsAt: v.endsAt?.toISOString() ?? null,
});
const senderView = (s: SenderRuleRow): SenderRuleView => ({
  id: s.id,
  kind: s.kind,
  pattern: s.pattern,
  createdAt: new Date(s.createdAt).toISOString(),
});

/** Vacation responder, forwarding, blocked and allowed senders (issue 15). */
@ApiTags('mail rules')
@Controller('api/v1')
export class MailSettingsController {
  constructor(private readonly rules: RulesService) {}

  @ApiResult(VacationViewSchema)
  @Get('vacation')
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'The vacation responder (RFC 3834 / Sieve vacation semantics)' })
  async getVacation(@CurrentAccount() account: AccountInfo): Promise<VacationView> {
    return vacationView(await this.rules.getVacation(account.id));
  }

  @ApiResult(VacationViewSchema)
  @Put('vacation')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Sets the vacation responder; saving it answers every sender once again' })
  async putVacation(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(VacationRequest)) body: VacationBody): Promise<VacationView> {
    return vacationView(await this.rules.putVacation(account.id, body));
  }

  @ApiResult(ForwardingViewSchema)
  @Get('forwarding')
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'Forwarding of all incoming mail' })
  getForwarding(@CurrentAccount() account: AccountInfo): Promise<ForwardingView> {
    return this.rules.getForwarding(account.id);
  }

  @ApiResult(ForwardingViewSchema)
  @Put('forwarding')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Sets forwarding (SRS-rewritten sender, ARC-sealed; loops stopped); keepCopy keeps one here' })
  putForwarding(
    @CurrentAccount() account: AccountInfo,
    @Body(new ZodPipe(ForwardingRequest)) body: ForwardingBody,
  ): Promise<ForwardingView> {
    return this.rules.putForwarding(account.id, body);
  }

  @ApiResult(SenderRuleListSchema)
  @Get('senders')
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'Blocked (mail to Junk) and allowed (never Junk) senders: addresses and domains' })
  async listSenders(@CurrentAccount() account: AccountInfo): Promise<SenderRuleList> {
    return { items: (await this.rules.listSenders(account.id)).map(senderView) };
  }

  @ApiResult(SenderRuleViewSchema)
  @Post('senders')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Blocks or allows an address or a domain (replaces an entry for the same one)' })
  async putSender(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(SenderRuleRequest)) body: SenderBody): Promise<SenderRuleView> {
    return senderView(await this.rules.putSender(account.id, body));
  }

  @Delete('senders/:id')
  @HttpCode(204)
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Removes a blocked or allowed sender' })
  async removeSender(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<void> {
    await this.rules.deleteSender(account.id, id);
  }
}
