import { Global, Module } from '@nestjs/common';
import { AccountEventsRepository } from './account-events.repository.js';
import { AccountEventsService } from './account-events.service.js';
import { MailEventsService } from './mail-events.service.js';

/**
 * Owns: account_events (issue 13's outbox; the mail store's delivery statement and the outbound
 * queue's outcome statement also insert into it, in the statement that makes the change). Exports
 * the change bus every module may publish to or read, and the account event outbox.
 */
@Global()
@Module({
  providers: [MailEventsService, AccountEventsRepository, AccountEventsService],
  exports: [MailEventsService, AccountEventsService],
})
export class EventsModule {}
