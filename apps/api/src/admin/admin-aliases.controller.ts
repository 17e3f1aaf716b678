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
import { AppError, ErrorCode } from '../common/app-error.js';
import { ZodPipe } from '../common/zod-validation.js';
import { normalizeAddress } from '../directory/address.js';
import { DirectoryService } from '../directory/directory.service.js';
import { AdminGuard } from './admin.guard.js';
import { Audited } from './audit/audited.decorator.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';

/** Aliases for admins: one address, one or many destinations (local accounts or external addresses). */
@ApiTags('admin')
@Controller('api/v1/admin/aliases')
@UseGuards(AdminGuard)
@UseInterceptors(AuditInterceptor)
@RequireScope('admin')
export class AdminAliasesController {
  constructor(private readonly directory: DirectoryService) {}

  @ApiResult(AliasListSchema)
  @Get()
  @ApiOperation({ summary: 'Aliases with their destinations, in address order (admin)' })
  async list(): Promise<AliasList> {
    return { aliases: groupAliases(await this.directory.listAliases()) };
  }

  @ApiResult(AdminAliasSchema, { errors: [409] })
  @Post()
  @Audited({ action: 'alias.create', targetField: 'address' })
  @ApiOperation({ summary: 'Create an alias with one or many destinations; 409 if it exists (admin)' })
  async create(@Body(new ZodPipe(CreateAliasRequest)) body: CreateAliasBody): Promise<AdminAlias> {
    const address = normalizeAddress(body.address);
    if ((await this.current(address)).length > 0)
      throw new AppError(ErrorCode.Conflict, `alias ${address} already exists; PUT changes its destinations`);
    for (const d of new Set(body.destinations.map(normalizeAddress))) await this.directory.addAlias(address, d);
    return { address, destinations: await this.current(address) };
  }

  @ApiResult(AdminAliasSchema)
  @Put(':address')
  @Audited({ action: 'alias.update', targetParam: 'address' })
  @ApiOperation({ summary: "Replace an existing alias's destinations with exactly these (admin)" })
  async replace(@Param('address') raw: string, @Body(new ZodPipe(ReplaceAliasRequest)) body: ReplaceAliasBody): Promise<AdminAlias> {
    const address = normalizeAddress(raw);
    const before = await this.current(address);
    if (before.length === 0) throw AppError.notFound(`no alias ${address}`);
    const wanted = new Set(body.destinations.map(normalizeAddress));
    // Additions first: the alias never has no destination (mail would be refused in between).
    for (const d of wanted) if (!before.includes(d)) await this.directory.addAlias(address, d);
    for (const d of before) if (!wanted.has(d)) await this.directory.removeAlias(address, d);
    return { address, destinations: await this.current(address) };
  }

  @Delete(':address')
  @HttpCode(204)
  @Audited({ action: 'alias.remove', targetParam: 'address' })
  @ApiOperation({ summary: 'Remove an alias (every destination, or only ?destination=) (admin)' })
  @ApiQuery({ name: 'destination', required: false })
  async remove(@Param('address') address: string, @Query(new ZodPipe(RemoveAliasQuery)) q: RemoveAliasParams): Promise<void> {
    await this.directory.removeAlias(address, q.destination);
  }

  private async current(address: string): Promise<string[]> {
    return (await this.directory.listAliases()).filter((a) => a.address === address).map((a) => a.destination);
  }
}

function groupAliases(rows: { address: string; destination: string }[]): AdminAlias[] {
  const byAddress = new Map<string, string[]>();
  for (const r of rows) byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r.destination]);
  return [...byAddress].map(([address, destinations]) => ({ address, destinations }));
}
