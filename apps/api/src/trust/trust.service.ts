import { Injectable } from '@nestjs/common';
import type { MessageTrust } from '@correio/contracts';
import { AppError } from '../common/app-error.js';
import { readVerdicts, warningFor } from './auth-verdicts.js';
import { findLookalike } from './lookalike.js';
import { POPULAR_DOMAINS } from './popular-domains.js';
import { TrustRepository } from './repositories/trust.repository.js';

const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;

/**
 * Trust signals of a received message (issue 12 §9): the SPF/DKIM/DMARC verdicts the MX stored at
 * delivery, and whether the From domain merely looks like a domain the account knows (its server's,
 * its correspondents', popular ones). The look-alike check runs on mail the MX authenticated only:
 * the account's own sent, imported or appended mail has nothing to warn about.
 */
@Injectable()
export class TrustService {
  constructor(private readonly repo: TrustRepository) {}

  async trust(accountId: string, id: string): Promise<MessageTrust> {
    const msg = isId(id) ? await this.repo.message(accountId, id) : undefined;
    if (!msg) throw AppError.notFound('message not found');
    const fromDomain = (msg.fromAddress.split('@').pop() ?? '').toLowerCase();
    const verdicts = readVerdicts(msg.authResults);
    const lookalike =
      verdicts.checked && fromDomain
        ? findLookalike(fromDomain, [...POPULAR_DOMAINS, ...(await this.repo.knownDomains(accountId))])
        : undefined;
    const trust: MessageTrust = { ...verdicts, fromDomain, ...(lookalike ? { lookalike } : {}) };
    const warning = warningFor(trust);
    return warning ? { ...trust, warning } : trust;
  }
}
