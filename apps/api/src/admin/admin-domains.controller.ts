import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import type { DnsRecord } from '../directory/dkim-keys.js';
import { DirectoryService } from '../directory/directory.service.js';
import { RequireScope } from '../auth/api-scope.js';
import { AdminGuard } from './admin.guard.js';

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
  @ApiOperation({ summary: 'Domains with their account and alias counts (admin)' })
  list(): Promise<{ name: string; accounts: number; aliases: number; catchAll: string | null }[]> {
    return this.directory.listDomains();
  }

  @Get(':name/dns')
  @ApiOperation({ summary: 'DNS records to publish for the domain: MX, SPF, DMARC and the DKIM public keys (admin)' })
  async dns(@Param('name') name: string): Promise<{ domain: string; records: DnsRecord[] }> {
    return { domain: name.toLowerCase(), records: await this.directory.dnsRecords(name, this.config.hostname) };
  }
}
