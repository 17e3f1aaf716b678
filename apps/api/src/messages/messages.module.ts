import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { MailboxesController } from './mailboxes.controller.js';
import { OutgoingModule } from '../outgoing/outgoing.module.js';
import { MessagesController } from './messages.controller.js';
import { SendController } from './send.controller.js';
import { SentMailController } from './sent-mail.controller.js';

/**
 * REST API over the mail store (/api/v1/mailboxes, /api/v1/messages), the send path, scheduled sends
 * and delivery status. Owns no tables.
 */
@Module({ imports: [MailboxStoreModule, OutgoingModule], controllers: [MailboxesController, SentMailController, MessagesController, SendController] })
export class MessagesModule {}
