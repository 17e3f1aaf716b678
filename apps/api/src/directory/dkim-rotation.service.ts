import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { RecordWithin } from '../common/record-within.js';
import { PG_POOL } from '../database/database.module.js';
import { normalizeAddress } from './address.js';
import { generateDkimKeys } from './dkim-keys.js';
import { DirectoryRepository } from './repositories/directory.repository.js';
import { DirectoryWriteRepository } from './repositories/directory-write.repository.js';

/**
 * DKIM key rotation (issue 14), in two steps an admin takes with DNS propagation in between:
 *  1. rotate: a new key pair under new selectors, published next to the signing pair (the domain's
 *     DNS records list both) but not signing yet, so no verifier meets a signature whose key is not
 *     in DNS (RFC 6376 §3.6.2.1: a missing key is a permanent failure);
 *  2. retire: the new pair signs from now on and the old pair is retired — no longer signing nor
 *     listed, so its records can be removed once mail signed with it has been read (days).
 * Each step is one transaction, with the caller's `recordWithin` (the admin audit entry) in it.
 */
@Injectable()
export class DkimRotationService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly repo: DirectoryRepository,
    private readonly writes: DirectoryWriteRepository,
  ) {}

  async rotate(rawDomain: string, recordWithin?: RecordWithin): Promise<void> {
    const d = await this.domain(rawDomain);
    if ((await this.repo.countPendingDkimKeys(d.id)) > 0) {
      throw new AppError(ErrorCode.Conflict, `new DKIM keys for ${d.name} already wait: publish them, then retire the old ones`);
    }
    // Generated before BEGIN: key generation is CPU work that must not hold a transaction open.
    const keys = await generateDkimKeys(new Date(), randomBytes(3).toString('hex'));
    await withTransaction(this.pool, async (tx) => {
      await this.writes.insertDkimKeys(tx, d.id, keys, false);
      await recordWithin?.(tx);
    });
  }

  async retire(rawDomain: string, recordWithin?: RecordWithin): Promise<void> {
    const d = await this.domain(rawDomain);
    if ((await this.repo.countPendingDkimKeys(d.id)) === 0) {
      throw new AppError(ErrorCode.Conflict, `no new DKIM keys wait for ${d.name}: rotate first`);
    }
    await withTransaction(this.pool, async (tx) => {
      await this.writes.promotePendingDkimKeys(tx, d.id);
      await recordWithin?.(tx);
    });
  }

  private async domain(rawDomain: string) {
    const d = await this.repo.findDomain(normalizeAddress(rawDomain));
    if (!d) throw AppError.notFound(`no domain ${rawDomain}`);
    return d;
  }
}
