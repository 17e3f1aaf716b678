import { Inject, Injectable } from '@nestjs/common';
import type { ComposeSettings, Identity } from '@correio/contracts';
import { sanitizeOutgoingHtml } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { normalizeAddress } from './address.js';
import { DirectoryService } from './directory.service.js';
import { IdentityRepository } from './repositories/identity.repository.js';

/**
 * What the compose window needs from the directory: the addresses an account sends as (its own and
 * the aliases delivering to it, as DirectoryService.canSendAs decides) with their signatures, the
 * undo-send window, the message size limit.
 */
@Injectable()
export class IdentityService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly repo: IdentityRepository,
  ) {}

  async settings(accountId: string): Promise<ComposeSettings> {
    const account = await this.repo.find(accountId);
    if (!account) throw AppError.notFound('account not found');
    return { identities: await this.identities(accountId), undoSendSeconds: account.undoSendSeconds, maxMessageBytes: this.config.smtp.maxMessageBytes };
  }

  async identities(accountId: string): Promise<Identity[]> {
    const account = await this.repo.find(accountId);
    if (!account) return [];
    const signatures = await this.repo.signatures(accountId);
    const out: Identity[] = [{ address: account.address, name: account.displayName, signatureHtml: signatures.get(account.address) ?? '', isPrimary: true }];
    for (const alias of account.aliases) {
      if (alias === account.address || !(await this.directory.canSendAs(accountId, alias))) continue;
      out.push({ address: alias, name: account.displayName, signatureHtml: signatures.get(alias) ?? '', isPrimary: false });
    }
    return out;
  }

  async setUndoSendSeconds(accountId: string, seconds: number): Promise<ComposeSettings> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 30) throw AppError.invalid('undoSendSeconds must be 0-30');
    await this.repo.setUndoSendSeconds(accountId, seconds);
    return this.settings(accountId);
  }

  /** Sets the signature (sanitized) of an address the account sends as; 403 for any other address. */
  async setSignature(accountId: string, rawAddress: string, html: string): Promise<Identity> {
    const address = normalizeAddress(rawAddress);
    const identity = (await this.identities(accountId)).find((i) => i.address === address);
    if (!identity) throw new AppError(ErrorCode.Forbidden, `${address} is not an address this account sends as`);
    const clean = sanitizeOutgoingHtml(html);
    await this.repo.setSignature(accountId, address, clean);
    return { ...identity, signatureHtml: clean };
  }
}
