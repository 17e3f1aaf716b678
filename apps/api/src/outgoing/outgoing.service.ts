import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import type { MessageSummaryFields } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { LocalDelivery } from '../delivery/local-delivery.js';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { AccountEventsService } from '../events/account-events.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { DeliveryTarget, StoredCopy } from '../mailbox-store/mailbox-store.types.js';
import type { RulesPlan } from '../rules/delivery-plan.js';

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
  remote: { address: string; notify?: string[]; orcpt?: string; forwardedFor?: string }[];
  dsn?: { ret?: string | null; envid?: string | null };
  /** A delayed send (scheduled, undo): the queue entry waits until then. */
  notBefore?: Date;
  /** The sender's draft this message was written in: expunged in the same transaction (404 if gone). */
  draftId?: string;
  /**
   * Runs last inside the send's transaction with what was written, so a record of the send (the
   * REST Idempotency-Key answer) commits with it or not at all: a crash can never leave a send
   * without its record, which a retry would repeat.
   */
  withinTransaction?: (tx: PoolClient, written: { sentMessageId: string | undefined; queueId: string | undefined }) => Promise<void>;
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
 * The queue entry names the Sent copy (delivery status), and a send written as a draft removes the
 * draft in that same transaction.
 */
@Injectable()
export class OutgoingService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly store: MailboxStoreService,
    private readonly queue: OutboundQueueService,
    private readonly accountEvents: AccountEventsService,
    private readonly local: LocalDelivery,
  ) {}

  async accept(m: OutgoingMessage): Promise<AcceptedOutgoing> {
    if (m.local.length === 0) return this.write(m);
    // Issue 15: a local recipient's rules (filters, blocked senders, forwarding, vacation) place its
    // copy as they do mail from outside, and what they add commits with the send.
    const incoming = { raw: m.raw, summary: m.summary, envelopeFrom: m.envelopeFrom, targets: m.local.map(inboxOf) };
    const plan = await this.local.planRules(incoming);
    if (!plan.changed) return this.write(m);
    try {
      return await this.write(m, plan);
    } catch (err) {
      // A folder a filter names went away since the rules were cached: the copy goes to INBOX.
      if (!(err instanceof AppError && err.code === ErrorCode.NotFound)) throw err;
      this.local.forgetRules(m.local);
      return this.write(m);
    }
  }

  private async write(m: OutgoingMessage, plan?: RulesPlan): Promise<AcceptedOutgoing> {
    // The Sent mailbox by id, so the Sent copy is known inside the transaction (the queue entry links to it).
    const sentMailboxId = await this.store.mailboxIdBySpecialUse(m.senderAccountId, 'sent');
    if (!sentMailboxId) throw AppError.notFound('mailbox not found');
    const sent: DeliveryTarget = { accountId: m.senderAccountId, mailbox: { id: sentMailboxId }, seen: true };
    const targets: DeliveryTarget[] = [...(plan?.targets ?? m.local.map(inboxOf)), sent];
    const { copies, queueId, changes } = await withTransaction(this.pool, async (tx) => {
      // LOCK ORDER: the one message row changed (the draft) before accounts and mailboxes.
      const draft = m.draftId === undefined ? undefined : await this.store.lockDraftWithin(tx, m.senderAccountId, m.draftId);
      const delivery = { raw: m.raw, summary: m.summary, envelopeFrom: m.envelopeFrom, targets, dsn: m.dsn };
      // The draft's mailbox (Drafts, before Sent) is locked at its place among the targets' (LOCK ORDER).
      const { copies: stored, expunged } = draft
        ? await this.store.deliverAndExpungeWithin(tx, delivery, draft)
        : { copies: await this.store.deliverWithin(tx, delivery), expunged: undefined };
      const sentCopy = stored.find((c) => c.accountId === m.senderAccountId && c.mailboxId === sentMailboxId);
      const id = m.remote.length
        ? await this.queue.enqueue(tx, {
            accountId: m.senderAccountId,
            raw: m.raw,
            envelopeFrom: m.envelopeFrom,
            recipients: m.remote,
            dsn: m.dsn,
            notBefore: m.notBefore,
            sentMessageId: sentCopy?.messageId,
          })
        : undefined;
      if (plan) await this.local.queueRulesOutputWithin(tx, plan);
      // Issue 13: the sender's message.sent event commits with the send (readers wake on the Sent copy's change).
      await this.accountEvents.recordWithin(tx, m.senderAccountId, 'message.sent', {
        messageId: sentCopy?.messageId ?? null,
        messageIdHeader: m.summary.messageId,
        subject: m.summary.subject,
        to: m.summary.to,
        cc: m.summary.cc,
        queueId: id ?? null,
        notBefore: m.notBefore?.toISOString() ?? null,
      });
      await m.withinTransaction?.(tx, { sentMessageId: sentCopy?.messageId, queueId: id });
      return { copies: stored, queueId: id, changes: expunged ? [expunged] : [] };
    });
    this.store.publishDelivered(copies);
    this.store.publishChanges(changes);
    const own = copies.filter((c) => c.accountId === m.senderAccountId);
    return { copies, sentCopy: own.find((c) => c.mailboxId === sentMailboxId) ?? own[own.length - 1]!, queueId };
  }
}

/** A local recipient's copy, as mail arriving for it (its rules apply, its message.received event is written). */
function inboxOf(accountId: string): DeliveryTarget {
  return { accountId, mailbox: { specialUse: 'inbox' }, incoming: true };
}
