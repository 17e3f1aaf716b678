import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../common/app-error.js';
import { normalizeAddress } from './address.js';
import { generateDkimKeys } from './dkim-keys.js';
import { DirectoryRepository } from './repositories/directory.repository.js';

/**
 * DKIM key rotation (issue 14), in two steps an admin takes with DNS propagation in between:
 *  1. rotate: a new key pair under new selectors, published next to the signing pair (the domain's
 *     DNS records list both) but not signing yet, so no verifier meets a signature whose key is not
 *     in DNS (RFC 6376 §3.6.2.1: a missing key is a permanent failure);
 *  2. retire: the new pair signs from now on and the old pair is retired — no longer signing nor
 *     listed, so its records can be removed once mail signed with it has been read (days).
 */
@Injectable()
export class DkimRotationService {
  constructor(private readonly repo: DirectoryRepository) {}

  async rotate(rawDomain: string): Promise<void> {
    const d = await this.domain(rawDomain);
    if ((await this.repo.countPendingDkimKeys(d.id)) > 0) {
      throw new AppError(ErrorCode.Conflict, `new DKIM keys for ${d.name} already wait: publish them, then retire the old ones`);
    }
    await this.repo.addPendingDkimKeys(d.id, await generateDkimKeys(new Date(), randomBytes(3).toString('hex')));
  }

  async retire(rawDomain: string): Promise<void> {
    const d = await this.domain(rawDomain);
    if ((await this.repo.countPendingDkimKeys(d.id)) === 0) {
      throw new AppError(ErrorCode.Conflict, `no new DKIM keys wait for ${d.name}: rotate first`);
    }
    await this.repo.promotePendingDkimKeys(d.id);
  }

  private async domain(rawDomain: string) {
    const d = await this.repo.findDomain(normalizeAddress(rawDomain));
    if (!d) throw AppError.notFound(`no domain ${rawDomain}`);
    return d;
  }
}
