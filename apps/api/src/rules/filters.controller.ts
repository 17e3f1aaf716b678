import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  FilterList as FilterListSchema,
  FilterOrderRequest,
  FilterRequest,
  FilterView as FilterViewSchema,
  SieveScript,
} from '@correio/contracts';
import type { FilterList, FilterView } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same name.
import type { FilterOrderRequest as OrderBody, FilterRequest as FilterBody, SieveScript as SieveBody } from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { CurrentAccount } from '../auth/session.guard.js';
import { ApiResult } from '../common/api-result.js';
import { ZodPipe } from '../common/zod-validation.js';
import type { AccountInfo } from '../directory/directory.service.js';
import type { FilterRow } from './repositories/rules.repository.js';
import { RulesService } from './rules.service.js';

const view = (f: FilterRow): FilterView =>
  ({ id: f.id, name: f.name, enabled: f.enabled, match: f.match, conditions: f.conditions, actions: f.actions }) as FilterView;

@ApiTags('mail rules')
@Controller('api/v1/filters')
export class FiltersController {
  constructor(private readonly rules: RulesService) {}

  @ApiResult(FilterListSchema)
  @Get()
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'The filters, in the order they run at delivery' })
  async list(@CurrentAccount() account: AccountInfo): Promise<FilterList> {
    return { items: (await this.rules.listFilters(account.id)).map(view) };
  }

  @ApiResult(FilterViewSchema)
  @Post()
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Adds a filter after the others (400 when a move names no folder of the account)' })
  async create(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(FilterRequest)) body: FilterBody): Promise<FilterView> {
    return view(await this.rules.createFilter(account.id, body));
  }

  @ApiResult(SieveScript, { description: 'The filters and the vacation responder as a Sieve script (RFC 5228)' })
  @Get('sieve')
  @RequireScope('mail:read')
  @ApiOperation({ summary: 'Exports the filters (and the vacation responder) as Sieve: fileinto, imap4flags, vacation, copy, mime' })
  async exportSieve(@CurrentAccount() account: AccountInfo): Promise<SieveBody> {
    return { script: await this.rules.exportSieve(account.id) };
  }

  @ApiResult(FilterListSchema)
  @Put('sieve')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Replaces the filters with a Sieve script; 400 names the line the forms cannot express' })
  async importSieve(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(SieveScript)) body: SieveBody): Promise<FilterList> {
    return { items: (await this.rules.importSieve(account.id, body.script)).map(view) };
  }

  @ApiResult(FilterListSchema)
  @Put('order')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Sets the order filters run in (the ids first, any others after them)' })
  async reorder(@CurrentAccount() account: AccountInfo, @Body(new ZodPipe(FilterOrderRequest)) body: OrderBody): Promise<FilterList> {
    return { items: (await this.rules.reorderFilters(account.id, body.ids)).map(view) };
  }

  @ApiResult(FilterViewSchema)
  @Put(':id')
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Replaces a filter (its place in the order stays)' })
  async update(
    @CurrentAccount() account: AccountInfo,
    @Param('id') id: string,
    @Body(new ZodPipe(FilterRequest)) body: FilterBody,
  ): Promise<FilterView> {
    return view(await this.rules.updateFilter(account.id, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('mail:write')
  @ApiOperation({ summary: 'Deletes a filter' })
  async remove(@CurrentAccount() account: AccountInfo, @Param('id') id: string): Promise<void> {
    await this.rules.deleteFilter(account.id, id);
  }
}
