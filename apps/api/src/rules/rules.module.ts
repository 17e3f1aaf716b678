import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { DeliveryRulesService } from './delivery-rules.service.js';
import { RulesRepository } from './repositories/rules.repository.js';
import { RulesService } from './rules.service.js';

/**
 * Mail rules (issue 15). Owns mail_rules, vacation_settings, vacation_replies, forwarding_settings
 * and sender_rules. Exports DeliveryRulesService (the delivery path: where a copy goes, forwards with
 * SRS + ARC, vacation replies; rules cached per process, invalidated by the tables' notifications)
 * and RulesService (the settings). The REST controllers are RulesApiModule's (role http).
 * Invariant: the delivery path adds no query for an account without vacation or forwarding once its
 * rules are cached; everything it decides is written by the delivering transaction.
 */
@Module({
  imports: [DirectoryModule, MailboxStoreModule],
  providers: [RulesRepository, DeliveryRulesService, RulesService],
  exports: [DeliveryRulesService, RulesService],
})
export class RulesModule {}
