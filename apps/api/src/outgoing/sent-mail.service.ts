import { Injectable } from '@nestjs/common';
import type { MessageDeliveryStatus, ScheduledMessageList } from '@correio/contracts';
import { AppError, ErrorCode } from '../common/app-error.js';
import { SenderQueueService } from '../delivery/sender-queue.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { MessageRow } from '../mailbox-store/mailbox-store.types.js';

/** What became of mail the account sent: its delayed sends waiting, each recipient's delivery. */
@Injectable()
export class SentMailService {
  constructor(
    private readonly queue: SenderQueueService,
    private readonly store: MailboxStoreService,
  ) {}

  /** Scheduled sends and undo windows not started yet, soonest first, with their Sent copy. */
  async scheduled(accountId: string): Promise<ScheduledMessageList> {
    const entries = await this.queue.scheduled(accountId);
    const items = [];
    for (const e of entries) {
      const sent = e.sentMessageId ? await this.findMessage(accountId, e.sentMessageId) : undefined;
      items.push({ queueId: e.id, sentId: sent?.id ?? null, subject: sent?.subject ?? '', to: e.recipients, sendAt: e.notBefore.toISOString() });
    }
    return { items };
  }

  /**
   * Per recipient, from the queue entry made for this Sent copy. Recipients named in the message
   * but not in the entry were local accounts that got it at acceptance: delivered. Without an entry
   * (none was needed, or it was purged after delivery or a bounce) nothing can be told honestly:
   * no recipients. A message of the account without an entry is 404 unless it is in Sent.
   */
  async delivery(accountId: string, messageId: string): Promise<MessageDeliveryStatus> {
    const row = await this.store.getMessage(accountId, messageId);
    const queued = await this.queue.deliveryOfSent(accountId, row.id);
    if (!queued && row.mailboxId !== (await this.store.mailboxIdBySpecialUse(accountId, 'sent'))) {
      throw AppError.notFound('this message was not sent from this account');
    }
    if (!queued) return { queueId: null, recipients: [] };
    const inQueue = new Set(queued.recipients.map((r) => r.address.toLowerCase()));
    const local = [...new Set([...row.toAddresses, ...row.ccAddresses].map((a) => a.address.toLowerCase()))]
      .filter((a) => !inQueue.has(a))
      .map((address) => ({ address, state: 'delivered' as const, attempts: 0, lastReply: null, explanation: null, lastAttemptAt: null, nextAttemptAt: null }));
    return { queueId: queued.queueId, recipients: [...queued.recipients, ...local] };
  }

  private async findMessage(accountId: string, id: string): Promise<MessageRow | undefined> {
    return this.store.getMessage(accountId, id).catch((err: unknown) => {
      if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
      throw err;
    });
  }
}
