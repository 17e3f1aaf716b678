import { Module } from '@nestjs/common';
import { EventStreamController } from './event-stream.controller.js';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository.js';
import { WebhookRepository } from './repositories/webhook.repository.js';
import { WebhookWorker } from './webhook.worker.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/**
 * Issue 13 items 4 and 5, REST side (role http). Owns: webhooks, webhook_deliveries. The event
 * stream GET /api/v1/events reads the events module's outbox (account_events).
 * Invariants: another account's webhook or delivery is "not found"; targets are SSRF-checked at
 * create/update and before every attempt; a receiver's answer is never shown beyond its status.
 */
@Module({
  controllers: [WebhooksController, EventStreamController],
  providers: [WebhookRepository, WebhookDeliveryRepository, WebhooksService],
})
export class WebhooksModule {}

/**
 * Issue 13 item 4, the sending side (role delivery, beside the outbound mail queue): fans the
 * outbox out into webhook_deliveries and sends them (webhook.worker.ts).
 */
@Module({
  providers: [WebhookDeliveryRepository, WebhookWorker],
  exports: [WebhookWorker],
})
export class WebhookWorkerModule {}
