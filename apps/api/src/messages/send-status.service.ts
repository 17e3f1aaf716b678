import { Injectable } from '@nestjs/common';
import type { MessageDeliveryStatus } from '@correio/contracts';
import { AppError, ErrorCode } from '../common/app-error.js';
import { SenderQueueService } from '../delivery/sender-queue.service.js';
import { SentMailService } from '../outgoing/sent-mail.service.js';

/**
 * GET /api/v1/messages/send/:queueId: what happened to each recipient of one send, by the queue
 * entry the send answered with. The entry knows its Sent copy; the status is the one the webmail
 * shows for that copy (GET /messages/:id/delivery: queue records plus local recipients, delivered at
 * once). When the Sent copy has been deleted since, the queue's own records still answer.
 */
@Injectable()
export class SendStatusService {
  constructor(
    private readonly queue: SenderQueueService,
    private readonly sent: SentMailService,
  ) {}

  async ofQueueEntry(accountId: string, queueId: string): Promise<MessageDeliveryStatus> {
    const sentId = await this.queue.sentOf(accountId, queueId);
    if (!sentId) throw AppError.notFound('queue entry not found');
    const status = await this.sent.delivery(accountId, sentId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
      throw err;
    });
    if (status?.queueId === queueId) return status;
    const queued = await this.queue.deliveryOfSent(accountId, sentId);
    if (!queued || queued.queueId !== queueId) throw AppError.notFound('queue entry not found');
    return { queueId, recipients: queued.recipients };
  }
}
