import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { IdempotencyModule } from '../idempotency/idempotency.module.js';
import { LabelsModule } from '../labels/labels.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { OutgoingModule } from '../outgoing/outgoing.module.js';
import { ImportController } from './import.controller.js';
import { MailboxChangesController } from './mailbox-changes.controller.js';
import { MailboxesController } from './mailboxes.controller.js';
import { MessageFlagsService } from './message-flags.service.js';
import { MessagesController } from './messages.controller.js';
import { RawMessageParser } from './raw-message-parser.js';
import { SearchController } from './search.controller.js';
import { SendStatusService } from './send-status.service.js';
import { SendController } from './send.controller.js';
import { SentMailController } from './sent-mail.controller.js';

/**
 * REST API over the mail store (/api/v1/mailboxes, /api/v1/messages) for the webmail and programs:
 * search, read, import, flags and keywords, move, delete, mailbox create/rename/delete, the send
 * path (JSON or multipart, Idempotency-Key), scheduled sends and delivery status. Owns no tables.
 */
@Module({
  imports: [MailboxStoreModule, OutgoingModule, DeliveryModule, IdempotencyModule, LabelsModule],
  providers: [MessageFlagsService, SendStatusService, RawMessageParser],
  controllers: [
    MailboxesController,
    MailboxChangesController,
    ImportController,
    SentMailController,
    SearchController,
    MessagesController,
    SendController,
  ],
})
export class MessagesModule {}
