import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { UploadsModule } from '../uploads/uploads.module.js';
import { AttachmentResolver } from './attachment-resolver.js';
import { OutgoingService } from './outgoing.service.js';
import { SendService } from './send.service.js';
import { SentMailService } from './sent-mail.service.js';

/**
 * Mail users send: OutgoingService (local copies + Sent copy + outbound queue in one transaction,
 * for submission and the REST send path), SendService (a form → MIME → OutgoingService; undo/cancel)
 * AttachmentResolver (attachments by reference: uploads, stored messages' parts) and SentMailService
 * (scheduled sends, per-recipient delivery status of a Sent message).
 * Owns no tables.
 */
@Module({
  imports: [DirectoryModule, MailboxStoreModule, DeliveryModule, UploadsModule],
  providers: [OutgoingService, SendService, AttachmentResolver, SentMailService],
  exports: [OutgoingService, SendService, AttachmentResolver, SentMailService],
})
export class OutgoingModule {}
