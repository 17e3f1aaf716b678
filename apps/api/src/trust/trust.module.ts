import { Module } from '@nestjs/common';
import { TrustRepository } from './repositories/trust.repository.js';
import { TrustController } from './trust.controller.js';
import { TrustService } from './trust.service.js';

/**
 * Trust signals (role http, issue 12): GET /api/v1/messages/:id/trust. Owns no tables; reads a
 * message's stored auth_results and From, the server's domains and the account's contacts, read-only.
 * The look-alike check is pure (lookalike.ts, confusables.ts, popular-domains.ts).
 */
@Module({ controllers: [TrustController], providers: [TrustService, TrustRepository] })
export class TrustModule {}
