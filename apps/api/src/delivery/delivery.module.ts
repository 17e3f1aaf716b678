import { Module } from '@nestjs/common';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import { PostgresBlobStore } from '../mailbox-store/blob-store.js';
import { DirectoryModule } from '../directory/directory.module.js';
import { DeliveryWorker } from './delivery.worker.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { OutboundQueueRepository } from './repositories/outbound-queue.repository.js';

/**
 * Outbound delivery. Owns outbound_messages and outbound_recipients. Exports OutboundQueueService
 * (enqueue within a caller's transaction) and DeliveryWorker, which drains the queue when the
 * process has the `delivery` role. The blob store is the mail store's PostgreSQL implementation.
 */
@Module({
  imports: [DirectoryModule],
  providers: [OutboundQueueService, OutboundQueueRepository, DeliveryWorker, { provide: BLOB_STORE, useClass: PostgresBlobStore }],
  exports: [OutboundQueueService, DeliveryWorker],
})
export class DeliveryModule {}
