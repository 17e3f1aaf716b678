import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { AdminAlias as AdminAliasSchema, AliasList as AliasListSchema } from '@correio/contracts';
import { ApiResult } from '../common/api-result.js';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { type AdminAlias, type AliasList, CreateAliasRequest, RemoveAliasQuery, ReplaceAliasRequest } from '@correio/contracts';
// Type-only aliases: decorator metadata must not point at the zod schema values of the same names.
import type {
  CreateAliasRequest as CreateAliasBody,
  RemoveAliasQuery as RemoveAliasParams,
  ReplaceAliasRequest as ReplaceAliasBody,
} from '@correio/contracts';
import { RequireScope } from '../auth/api-scope.js';
import { ZodPipe } from '../common/zod-validation.js';
import { normalizeAddress } from '../directory/address.js';
import { AliasService } from '../directory/alias.service.js';
import { AdminGuard } from './admin.guard.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { AuditRecord } from './audit/audit-trail.js';
import type { RecordWithin } from '../common/record-within.js';

/** Aliases for admins: one address, one or many destinations (local accounts or external addresses). */
@ApiTags('admin')
@Controller('api/v1/admin/aliases')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminAliasesController {
  constructor(private readonly aliases: AliasService) {}

  @ApiResult(AliasListSchema)
  @Get()
  @ApiOperation({ summary: 'Aliases with their destinations, in address order (admin)' })
  async list(): Promise<AliasList> {
    return { aliases: groupAliases(await this.aliases.listAliases()) };
  }

  @ApiResult(AdminAliasSchema, { errors: [409] })
  @Post()
  @Audited({ action: 'alias.create', targetField: 'address' })
  @ApiOperation({ summary: 'Create an alias with one or many destinations; 409 if it exists (admin)' })
  async create(@Body(new ZodPipe(CreateAliasRequest)) body: CreateAliasBody, @AuditRecord() audit: RecordWithin): Promise<AdminAlias> {
    const address = normalizeAddress(body.address);
    // One transaction for every destination and the audit entry: all of them or none.
    await this.aliases.setAliasDestinations(address, body.destinations, 'create', audit);
    return { address, destinations: await this.current(address) };
  }

  @ApiResult(AdminAliasSchema)
  @Put(':address')
  @Audited({ action: 'alias.update', targetParam: 'address' })
  @ApiOperation({ summary: "Replace an existing alias's destinations with exactly these (admin)" })
  async replace(
    @Param('address') raw: string,
    @Body(new ZodPipe(ReplaceAliasRequest)) body: ReplaceAliasBody,
    @AuditRecord() audit: RecordWithin,
  ): Promise<AdminAlias> {
    const address = normalizeAddress(raw);
    // One transaction: mail never meets the alias half changed (nor without a destination).
    await this.aliases.setAliasDestinations(address, body.destinations, 'replace', audit);
    return { address, destinations: await this.current(address) };
  }

  @Delete(':address')
  @HttpCode(204)
  @Audited({ action: 'alias.remove', targetParam: 'address' })
  @ApiOperation({ summary: 'Remove an alias (every destination, or only ?destination=) (admin)' })
  @ApiQuery({ name: 'destination', required: false })
  async remove(
    @Param('address') address: string,
    @Query(new ZodPipe(RemoveAliasQuery)) q: RemoveAliasParams,
    @AuditRecord() audit: RecordWithin,
  ): Promise<void> {
    await this.aliases.removeAlias(address, q.destination, audit);
  }

  private async current(address: string): Promise<string[]> {
    return (await this.aliases.listAliases()).filter((a) => a.address === address).map((a) => a.destination);
  }
}

function groupAliases(rows: { address: string; destination: string }[]): AdminAlias[] {
  const byAddress = new Map<string, string[]>();
  for (const r of rows) byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r.destination]);
  return [...byAddress].map(([address, destinations]) => ({ address, destinations }));
}
