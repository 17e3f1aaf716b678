import { Injectable } from '@nestjs/common';
import type { RecipientDelivery } from '@correio/contracts';
import { parseId } from '../common/zod-validation.js';
import { explainReply } from './delivery-explanation.js';
import { type ScheduledEntryRow, SenderQueueRepository } from './repositories/sender-queue.repository.js';

export interface SentDelivery {
  queueId: string;
  recipients: RecipientDelivery[];
}

/**
 * The outbound queue as the sending account sees it (webmail): its delayed sends that have not
 * started, and what happened to each recipient of a message it sent (from the queue's own records).
 */
@Injectable()
export class SenderQueueService {
  constructor(private readonly repo: SenderQueueRepository) {}

  async scheduled(accountId: string): Promise<ScheduledEntryRow[]> {
    // An alias's forwards are listed under the alias the sender wrote, once.
    return (await this.repo.scheduled(accountId)).map((e) => ({ ...e, recipients: [...new Set(e.recipients)] }));
  }

  /** The queue's view of the entry made for this Sent copy; undefined when none was (or is no longer) queued. */
  async deliveryOfSent(accountId: string, sentMessageId: string, now = new Date()): Promise<SentDelivery | undefined> {
    if (parseId(sentMessageId) === undefined) return undefined;
    const entry = await this.repo.entryOfSent(accountId, sentMessageId);
    if (!entry) return undefined;
    const waiting = entry.notBefore.getTime() > now.getTime();
    // A local alias's external forwards are left out: their address, state and reply are the alias
    // owner's (DESIGN invariant 4); the alias the sender wrote was accepted here, at sending.
    const rows = (await this.repo.recipients(accountId, entry.id)).filter((r) => r.forwardedFor === null);
    const recipients = rows.map((r): RecipientDelivery => {
      const state = waiting && r.attempts === 0 && r.state === 'queued' ? 'scheduled' : r.state;
      const done = r.state === 'delivered' || r.state === 'bounced' || r.state === 'cancelled';
      return {
        address: r.address,
        state,
        attempts: r.attempts,
        lastReply: r.lastReply,
        explanation: r.state === 'bounced' || r.state === 'deferred' ? explainReply(r.state, r.lastReply) : null,
        lastAttemptAt: r.lastAttemptAt ? r.lastAttemptAt.toISOString() : null,
        nextAttemptAt: done || r.state === 'held' ? null : (waiting ? entry.notBefore : r.nextAttemptAt).toISOString(),
      };
    });
    return { queueId: entry.id, recipients };
  }

  /** The Sent copy the account's entry was queued for: null when none (or no such entry of this account). */
  async sentOf(accountId: string, queueId: string): Promise<string | null> {
    if (parseId(queueId) === undefined) return null;
    return (await this.repo.entry(accountId, queueId))?.sentMessageId ?? null;
  }

  /** The entry's Sent copy was replaced by another message (keeps delivery status reachable). */
  async relinkSent(accountId: string, queueId: string, sentMessageId: string): Promise<void> {
    if (parseId(queueId) !== undefined) await this.repo.relinkSent(accountId, queueId, sentMessageId);
  }

  /**
   * The envelope recipients of the account's entry as the sender wrote them (a cancelled send's Bcc
   * comes back from them): an alias's forward counts as the alias, never as its target.
   */
  async recipientsOf(accountId: string, queueId: string): Promise<string[]> {
    if (parseId(queueId) === undefined) return [];
    return [...new Set((await this.repo.recipients(accountId, queueId)).map((r) => r.forwardedFor ?? r.address))];
  }
}
