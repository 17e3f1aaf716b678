import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { RecordWithin } from '../common/record-within.js';
import { PG_POOL } from '../database/database.module.js';
import { domainOf, isValidAddress, normalizeAddress } from './address.js';
import { DirectoryService } from './directory.service.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { DirectoryWriteRepository } from './repositories/directory-write.repository.js';

/**
 * Aliases: an address of one of our domains that delivers to one or many destinations (local
 * accounts or external addresses). Every write then forgets the recipient cache, which
 * DirectoryService keeps (the one the MX reads), so the next RCPT sees the change.
 */
@Injectable()
export class AliasService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: DirectoryRepository,
    private readonly writes: DirectoryWriteRepository,
    private readonly directory: DirectoryService,
  ) {}

  /** One destination more (the CLI's `alias add`; not audited, so no `recordWithin`). */
  async addAlias(rawAddress: string, rawDestination: string): Promise<void> {
    const address = normalizeAddress(rawAddress);
    const destination = normalizeAddress(rawDestination);
    const domain = await this.aliasDomain(address, [destination]);
    if ((await this.repo.findAliases(address)).some((a) => a.destination === destination)) {
      throw new AppError(ErrorCode.Conflict, `alias ${address} → ${destination} already exists`);
    }
    await this.writes.insertAliases(this.pool, domain.id, address, [destination]); // one statement: atomic alone
    this.directory.forgetCachedRecipients();
  }

  /**
   * The alias's destinations become exactly these, in one transaction (the admin API's create and
   * replace): `create` refuses an alias that exists (409), `replace` one that does not (404).
   * `recordWithin` (RecordWithin) runs in that transaction after the writes: the change and its
   * audit entry commit together or not at all.
   */
  async setAliasDestinations(
    rawAddress: string,
    rawDestinations: string[],
    mode: 'create' | 'replace',
    recordWithin?: RecordWithin,
  ): Promise<void> {
    const address = normalizeAddress(rawAddress);
    const wanted = [...new Set(rawDestinations.map(normalizeAddress))];
    const domain = await this.aliasDomain(address, wanted);
    await withTransaction(this.pool, async (tx) => {
      const before = await this.writes.lockAliases(tx, address);
      if (mode === 'create' && before.length > 0) {
        throw new AppError(ErrorCode.Conflict, `alias ${address} already exists; PUT changes its destinations`);
      }
      if (mode === 'replace' && before.length === 0) throw AppError.notFound(`no alias ${address}`);
      await this.writes.insertAliases(tx, domain.id, address, wanted.filter((d) => !before.includes(d)));
      await this.writes.deleteAliases(tx, address, before.filter((d) => !wanted.includes(d)));
      await recordWithin?.(tx);
    });
    this.directory.forgetCachedRecipients();
  }

  /** The alias's domain, after the checks every alias write makes. */
  private async aliasDomain(address: string, destinations: string[]): Promise<{ id: bigint }> {
    if (!isValidAddress(address)) throw AppError.invalid(`not a valid address: ${address}`);
    for (const d of destinations) if (!isValidAddress(d)) throw AppError.invalid(`not a valid destination: ${d}`);
    const domain = await this.repo.findDomain(domainOf(address));
    if (!domain) throw AppError.notFound(`no domain ${domainOf(address)}; add it first`);
    if (await this.repo.findAccountByAddress(address)) throw new AppError(ErrorCode.Conflict, `${address} is an account`);
    return domain;
  }

  async listAliases(): Promise<{ address: string; destination: string }[]> {
    return (await this.repo.listAliases()).map((a) => ({ address: a.address, destination: a.destination }));
  }

  /** Every destination of the alias, or only `rawDestination`; `recordWithin` as above. */
  async removeAlias(rawAddress: string, rawDestination?: string, recordWithin?: RecordWithin): Promise<void> {
    const address = normalizeAddress(rawAddress);
    await withTransaction(this.pool, async (tx) => {
      const n = await this.writes.deleteAliases(tx, address, rawDestination ? [normalizeAddress(rawDestination)] : undefined);
      if (n === 0) throw AppError.notFound(`no alias ${rawAddress}`);
      await recordWithin?.(tx);
    });
    this.directory.forgetCachedRecipients();
  }
}
