import { Module } from '@nestjs/common';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { MailboxesController } from './mailboxes.controller.js';
import { MessagesController } from './messages.controller.js';

/** REST API over the mail store (/api/v1/mailboxes, /api/v1/messages). Owns no tables. */
@Module({ imports: [MailboxStoreModule], controllers: [MailboxesController, MessagesController] })
export class MessagesModule {}
