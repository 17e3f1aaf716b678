import { Module } from '@nestjs/common';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import { PostgresBlobStore } from '../mailbox-store/blob-store.js';
import { MailboxStoreModule } from '../mailbox-store/mailbox-store.module.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { RulesModule } from '../rules/rules.module.js';
import { DeliveryWorker } from './delivery.worker.js';
import { DsnService } from './dsn.service.js';
import { LocalDelivery } from './local-delivery.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { QueueInspectionService } from './queue-inspection.service.js';
import { OutboundQueueRepository } from './repositories/outbound-queue.repository.js';
import { QueueInspectionRepository } from './repositories/queue-inspection.repository.js';
import { SenderQueueRepository } from './repositories/sender-queue.repository.js';
import { SenderQueueService } from './sender-queue.service.js';

/**
 * Outbound delivery. Owns outbound_messages, outbound_recipients and outbound_attempts. Exports
 * OutboundQueueService (enqueue within a caller's transaction; hold, release, retry, cancel,
 * delete), QueueInspectionService (admin listing and history), SenderQueueService (the sender's
 * view: scheduled sends, per-recipient delivery status of a Sent message) and DeliveryWorker, which drains the
 * queue when the process has the `delivery` role and reports failures to senders (DsnService).
 * The blob store is the mail store's PostgreSQL implementation.
 */
@Module({
  imports: [DirectoryModule, MailboxStoreModule, RulesModule],
  providers: [
    OutboundQueueService,
    OutboundQueueRepository,
    QueueInspectionService,
    QueueInspectionRepository,
    SenderQueueService,
    SenderQueueRepository,
    DsnService,
    DeliveryWorker,
    LocalDelivery,
    { provide: BLOB_STORE, useClass: PostgresBlobStore },
  ],
  exports: [OutboundQueueService, QueueInspectionService, SenderQueueService, DeliveryWorker, LocalDelivery],
})
export class DeliveryModule {}
