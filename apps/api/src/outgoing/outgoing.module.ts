import { Module } from '@nestjs/common';
import { DeliveryModule } from '../delivery/delivery.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { OutgoingService } from './outgoing.service.js';
import { SendService } from './send.service.js';

/**
 * Mail users send: OutgoingService (local copies + Sent copy + outbound queue in one transaction,
 * for submission and the REST send path) and SendService (a form → MIME → OutgoingService).
 * Owns no tables.
 */
@Module({
  imports: [DirectoryModule, MailboxStoreModule, DeliveryModule],
  providers: [OutgoingService, SendService],
  exports: [OutgoingService, SendService],
})
export class OutgoingModule {}
