import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateDomainRequest, DomainDnsCheck, DomainDnsRecords, DomainSummaryList, SetCatchAllRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same names.
import type { CreateDomainRequest as CreateDomainBody, SetCatchAllRequest as SetCatchAllBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DirectoryService } from '../directory/directory.service.js';
import { DkimRotationService } from '../directory/dkim-rotation.service.js';
import { DNS_RESOLVER, type DnsResolver } from '../dns/dns-resolver.js';
import { checkDnsRecords } from '../dns/dns-live-check.js';
import { z } from 'zod';
import { ApiResult } from '../common/api-result.js';
import { AdminGuard } from './admin.guard.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AuditRecord } from './audit/audit-trail.js';
import type { RecordWithin } from '../common/record-within.js';
import { dnsPlan } from './domains/dns-plan.js';

// The answers' shapes for the OpenAPI document.
const CreatedDomain = z.object({ id: z.string(), name: z.string() });

@ApiTags('admin')
@Controller('api/v1/admin/domains')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminDomainsController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly dkim: DkimRotationService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DNS_RESOLVER) private readonly resolver: DnsResolver,
  ) {}

  @Get()
  @ApiResult(DomainSummaryList)
  @ApiOperation({ summary: 'Domains with their account and alias counts (admin)' })
  list(): Promise<{ name: string; accounts: number; aliases: number; catchAll: string | null }[]> {
    return this.directory.listDomains();
  }

  @ApiResult(CreatedDomain, { errors: [409] })
  @Post()
  @Audited({ action: 'domain.create', targetField: 'name' })
  @ApiOperation({ summary: 'Add a domain (its DKIM keys are generated); 409 if it exists (admin)' })
  create(
    @Body(new ZodPipe(CreateDomainRequest)) body: CreateDomainBody,
    @AuditRecord() audit: RecordWithin,
  ): Promise<{ id: string; name: string }> {
    return this.directory.addDomain(body.name, audit);
  }

  @Delete(':name')
  @HttpCode(204)
  @Audited({ action: 'domain.remove', targetParam: 'name' })
  @ApiOperation({ summary: 'Remove a domain without accounts; 409 saying how many accounts remain otherwise (admin)' })
  async remove(@Param('name') name: string, @AuditRecord() audit: RecordWithin): Promise<void> {
    await this.directory.removeDomain(name, audit);
  }

  @Put(':name/catch-all')
  @HttpCode(204)
  @Audited({ action: 'domain.catch-all', targetParam: 'name' })
  @ApiOperation({ summary: "Set (address) or clear (null) the domain's catch-all destination (admin)" })
  async catchAll(
    @Param('name') name: string,
    @Body(new ZodPipe(SetCatchAllRequest)) body: SetCatchAllBody,
    @AuditRecord() audit: RecordWithin,
  ): Promise<void> {
    await this.directory.setCatchAll(name, body.address, audit);
  }

  @Get(':name/dns')
  @ApiResult(DomainDnsRecords)
  @ApiOperation({
    summary: 'DNS records to publish: MX, SPF, DMARC, DKIM for every published key; optional MTA-STS, TLS-RPT and client SRV (RFC 6186/8314) (admin)',
  })
  async dns(@Param('name') name: string): Promise<DomainDnsRecords> {
    const domain = name.toLowerCase();
    return { domain, records: dnsPlan(domain, await this.directory.dnsRecords(name, this.config.hostname), this.config) };
  }

  @Get(':name/dns/check')
  @ApiResult(DomainDnsCheck)
  @ApiOperation({ summary: 'What DNS answers now for each record to publish: published, missing or different, with the fix (admin)' })
  async check(@Param('name') name: string): Promise<DomainDnsCheck> {
    const { domain, records } = await this.dns(name);
    return { domain, checkedAt: new Date().toISOString(), records: await checkDnsRecords(this.resolver, records) };
  }

  @Post(':name/dkim/rotate')
  @HttpCode(200)
  @ApiResult(DomainDnsRecords, { errors: [409] })
  @Audited({ action: 'domain.dkim-rotate', targetParam: 'name' })
  @ApiOperation({ summary: 'DKIM rotation step 1: new keys under new selectors, published next to the old, not signing yet; 409 while one waits (admin)' })
  async rotate(@Param('name') name: string, @AuditRecord() audit: RecordWithin): Promise<DomainDnsRecords> {
    await this.dkim.rotate(name, audit);
    return this.dns(name);
  }

  @Post(':name/dkim/retire')
  @HttpCode(200)
  @ApiResult(DomainDnsRecords, { errors: [409] })
  @Audited({ action: 'domain.dkim-retire', targetParam: 'name' })
  @ApiOperation({ summary: 'DKIM rotation step 2: the new keys sign, the old are retired and no longer listed; 409 without a rotation (admin)' })
  async retire(@Param('name') name: string, @AuditRecord() audit: RecordWithin): Promise<DomainDnsRecords> {
    await this.dkim.retire(name, audit);
    return this.dns(name);
  }
}
