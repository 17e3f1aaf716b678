import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateDomainRequest, SetCatchAllRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same names.
import type { CreateDomainRequest as CreateDomainBody, SetCatchAllRequest as SetCatchAllBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { DnsRecord } from '../directory/dkim-keys.js';
import { DirectoryService } from '../directory/directory.service.js';
import { z } from 'zod';
import { ApiResult } from '../common/api-result.js';
import { AdminGuard } from './admin.guard.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';

// The answers' shapes for the OpenAPI document (admin-only views, not shared with the web app).
const DomainList = z.array(
  z.object({ name: z.string(), accounts: z.number().int(), aliases: z.number().int(), catchAll: z.string().nullable() }),
);
const CreatedDomain = z.object({ id: z.string(), name: z.string() });
const DomainDns = z.object({
  domain: z.string(),
  records: z.array(z.object({ name: z.string(), type: z.enum(['MX', 'TXT']), value: z.string(), zone: z.string(), purpose: z.string() })),
});

@ApiTags('admin')
@Controller('api/v1/admin/domains')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminDomainsController {
  constructor(
    private readonly directory: DirectoryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiResult(DomainList)
  @ApiOperation({ summary: 'Domains with their account and alias counts (admin)' })
  list(): Promise<{ name: string; accounts: number; aliases: number; catchAll: string | null }[]> {
    return this.directory.listDomains();
  }

  @ApiResult(CreatedDomain, { errors: [409] })
  @Post()
  @Audited({ action: 'domain.create', targetField: 'name' })
  @ApiOperation({ summary: 'Add a domain (its DKIM keys are generated); 409 if it exists (admin)' })
  create(@Body(new ZodPipe(CreateDomainRequest)) body: CreateDomainBody): Promise<{ id: string; name: string }> {
    return this.directory.addDomain(body.name);
  }

  @Delete(':name')
  @HttpCode(204)
  @Audited({ action: 'domain.remove', targetParam: 'name' })
  @ApiOperation({ summary: 'Remove a domain without accounts; 409 saying how many accounts remain otherwise (admin)' })
  async remove(@Param('name') name: string): Promise<void> {
    await this.directory.removeDomain(name);
  }

  @Put(':name/catch-all')
  @HttpCode(204)
  @Audited({ action: 'domain.catch-all', targetParam: 'name' })
  @ApiOperation({ summary: "Set (address) or clear (null) the domain's catch-all destination (admin)" })
  async catchAll(@Param('name') name: string, @Body(new ZodPipe(SetCatchAllRequest)) body: SetCatchAllBody): Promise<void> {
    await this.directory.setCatchAll(name, body.address);
  }

  @Get(':name/dns')
  @ApiResult(DomainDns)
  @ApiOperation({ summary: 'DNS records to publish for the domain: MX, SPF, DMARC and the DKIM public keys (admin)' })
  async dns(@Param('name') name: string): Promise<{ domain: string; records: DnsRecord[] }> {
    return { domain: name.toLowerCase(), records: await this.directory.dnsRecords(name, this.config.hostname) };
  }
}
