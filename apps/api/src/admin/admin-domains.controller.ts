import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { DnsRecord } from '../directory/dkim-keys.js';
import { DirectoryService } from '../directory/directory.service.js';
import { RequireScope } from '../auth/api-scope.js';
import { z } from 'zod';
import { ApiResult } from '../common/api-result.js';
import { AdminGuard } from './admin.guard.js';

// The answers' shapes for the OpenAPI document (admin-only views, not shared with the web app).
const DomainList = z.array(z.object({ name: z.string(), accounts: z.number().int(), aliases: z.number().int(), catchAll: z.string().nullable() }));
const DomainDns = z.object({
  domain: z.string(),
  records: z.array(z.object({ name: z.string(), type: z.enum(['MX', 'TXT']), value: z.string(), zone: z.string(), purpose: z.string() })),
});

@ApiTags('admin')
@Controller('api/v1/admin/domains')
@UseGuards(AdminGuard)
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

  @Get(':name/dns')
  @ApiResult(DomainDns)
  @ApiOperation({ summary: 'DNS records to publish for the domain: MX, SPF, DMARC and the DKIM public keys (admin)' })
  async dns(@Param('name') name: string): Promise<{ domain: string; records: DnsRecord[] }> {
    return { domain: name.toLowerCase(), records: await this.directory.dnsRecords(name, this.config.hostname) };
  }
}
