import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import type { MessageSummaryFields } from '@correio/mime';
import { PG_POOL } from '../database/database.module.js';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { DeliveryTarget, StoredCopy } from '../mailbox-store/mailbox-store.types.js';

export interface OutgoingMessage {
  /** The authenticated sender's account: its Sent mailbox gets the copy. */
  senderAccountId: string;
  /** The complete message as it leaves (trace and added headers included). */
  raw: Buffer;
  summary: MessageSummaryFields;
  envelopeFrom: string;
  /** Local accounts to deliver to at once (INBOX). */
  local: string[];
  /** Remote recipients (and alias forwards) for the outbound queue. */
  remote: { address: string; notify?: string[]; orcpt?: string }[];
  dsn?: { ret?: string | null; envid?: string | null };
  /** A delayed send (scheduled, undo): the queue entry waits until then. */
  notBefore?: Date;
}

export interface AcceptedOutgoing {
  copies: StoredCopy[];
  sentCopy: StoredCopy;
  queueId?: string;
}

/**
 * Mail a user sends, whichever way it came (SMTP submission, the REST send path): the local
 * recipients' copies, the sender's Sent copy (read) and the outbound queue entry for the rest are
 * written in ONE transaction, so the sender's "sent" means all of it or none (DESIGN invariant 1).
 */
@Injectable()
export class OutgoingService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: MailboxStoreService,
    private readonly queue: OutboundQueueService,
  ) {}

  async accept(m: OutgoingMessage): Promise<AcceptedOutgoing> {
    const sent: DeliveryTarget = { accountId: m.senderAccountId, mailbox: { specialUse: 'sent' }, seen: true };
    const targets: DeliveryTarget[] = [...m.local.map((accountId) => ({ accountId, mailbox: { specialUse: 'inbox' as const } })), sent];
    const { copies, queueId } = await withTransaction(this.pool, async (tx) => {
      const stored = await this.store.deliverWithin(tx, { raw: m.raw, summary: m.summary, envelopeFrom: m.envelopeFrom, targets, dsn: m.dsn });
      const id = m.remote.length
        ? await this.queue.enqueue(tx, { accountId: m.senderAccountId, raw: m.raw, envelopeFrom: m.envelopeFrom, recipients: m.remote, dsn: m.dsn, notBefore: m.notBefore })
        : undefined;
      return { copies: stored, queueId: id };
    });
    this.store.publishDelivered(copies);
    return { copies, sentCopy: await this.sentCopyOf(m.senderAccountId, copies), queueId };
  }

  /** The sender's copy in Sent: its only copy, unless it also sent to itself (then one is in INBOX). */
  private async sentCopyOf(senderAccountId: string, copies: StoredCopy[]): Promise<StoredCopy> {
    const own = copies.filter((c) => c.accountId === senderAccountId);
    if (own.length === 1) return own[0]!;
    const sentMailbox = (await this.store.listMailboxes(senderAccountId)).find((b) => b.specialUse === 'sent');
    return own.find((c) => c.mailboxId === sentMailbox?.id) ?? own[own.length - 1]!;
  }
}
