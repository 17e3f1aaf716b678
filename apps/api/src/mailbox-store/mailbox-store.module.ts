import { Module } from '@nestjs/common';
import { DirectoryRepositoriesModule } from '../directory/directory-repositories.module.js';
import { PostgresBlobStore } from './blob-store.js';
import { BLOB_STORE } from './blob-store.token.js';
import { MailboxStoreService } from './mailbox-store.service.js';
import { DeliveryRepository } from './repositories/delivery.repository.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { MessageRepository } from './repositories/message.repository.js';

/**
 * Mail store. Owns the tables mailboxes, messages, blobs, expunged. Exports MailboxStoreService,
 * the only way other modules read or change mail. Invariants: see mailbox-store.service.ts.
 */
@Module({
  imports: [DirectoryRepositoriesModule],
  providers: [MailboxStoreService, MailboxRepository, MessageRepository, DeliveryRepository, { provide: BLOB_STORE, useClass: PostgresBlobStore }],
  exports: [MailboxStoreService],
})
export class MailboxStoreModule {}
