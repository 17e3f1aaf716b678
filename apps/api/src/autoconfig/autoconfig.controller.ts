import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount, Public } from '../auth/session.guard.js';
import { AppError } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { domainOf, isValidAddress, normalizeAddress } from '../directory/address.js';
import type { AccountInfo } from '../directory/directory.service.js';
import { DirectoryService } from '../directory/directory.service.js';
import { autodiscoverError, autodiscoverResponse, requestedAddress } from './autodiscover.js';
import { clientSettings } from './client-settings.js';
import { mobileconfig } from './mobileconfig.js';
import { thunderbirdConfig } from './thunderbird-autoconfig.js';

const XML = 'application/xml; charset=utf-8';

/** Mail client set-up: Thunderbird autoconfig, Outlook Autodiscover, Apple configuration profile. */
@ApiTags('client setup')
@Controller()
export class AutoconfigController {
  constructor(
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiResult(null, { contentType: 'application/xml', description: 'Thunderbird autoconfig (clientConfig version 1.1)' })
  @Get(['.well-known/autoconfig/mail/config-v1.1.xml', 'mail/config-v1.1.xml'])
  @Public()
  @ApiOperation({ summary: 'Thunderbird autoconfig (served on the mail host and on autoconfig.<domain>); ?emailaddress= picks the domain' })
  async thunderbird(@Query('emailaddress') email: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    let domains: string[];
    if (email) {
      const address = normalizeAddress(email);
      if (!isValidAddress(address) || !(await this.directory.isLocalDomain(domainOf(address))))
        throw AppError.notFound('not a domain served here');
      domains = [domainOf(address)];
    } else {
      domains = (await this.directory.listDomains()).map((d) => d.name);
    }
    await reply.header('content-type', XML).send(thunderbirdConfig(clientSettings(this.config), domains));
  }

  @ApiResult(null, { contentType: 'application/xml', description: 'Autodiscover POX response' })
  @Post(['autodiscover/autodiscover.xml', 'Autodiscover/Autodiscover.xml'])
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Microsoft Autodiscover (POX): POST the request XML with EMailAddress, get IMAP/POP3/SMTP settings' })
  async autodiscover(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const body = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const raw = requestedAddress(body);
    const address = raw ? normalizeAddress(raw) : undefined;
    const served = address && isValidAddress(address) && (await this.directory.isLocalDomain(domainOf(address)));
    const xml = served ? autodiscoverResponse(clientSettings(this.config), address) : autodiscoverError('No settings for this address');
    await reply.header('content-type', XML).send(xml);
  }

  @ApiResult(null, { contentType: 'application/x-apple-aspen-config', description: 'A configuration profile (plist)' })
  @Get('api/v1/settings/mobileconfig')
  @RequireScope('mail:read')
  @ApiOperation({ summary: "Apple configuration profile (.mobileconfig) for the logged-in account's IMAP and SMTP" })
  async mobileconfig(@CurrentAccount() account: AccountInfo, @Res() reply: FastifyReply): Promise<void> {
    const name = `${account.address.replace(/[^\w.@-]/g, '_')}.mobileconfig`;
    await reply
      .header('content-type', 'application/x-apple-aspen-config; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(mobileconfig(clientSettings(this.config), account));
  }
}
