import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { MailboxesController } from './mailboxes.controller.js';
import { OutgoingModule } from '../outgoing/outgoing.module.js';
import { MessagesController } from './messages.controller.js';
import { SendController } from './send.controller.js';

/** REST API over the mail store (/api/v1/mailboxes, /api/v1/messages) and the send path. Owns no tables. */
@Module({ imports: [MailboxStoreModule, OutgoingModule], controllers: [MailboxesController, MessagesController, SendController] })
export class MessagesModule {}
