import { Global, Module } from '@nestjs/common';
import { MailEventsService } from './mail-events.service.js';

/** Owns: nothing in the database. Exports the change bus every module may publish to or read. */
@Global()
@Module({ providers: [MailEventsService], exports: [MailEventsService] })
export class EventsModule {}
