import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { summarizeMessage } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { DirectoryService } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import { OutboundQueueService } from './outbound-queue.service.js';
import { DeliveryRulesService } from '../rules/delivery-rules.service.js';
import type { RulesPlan } from '../rules/delivery-plan.js';
import type { DeliveryRequest, StoredCopy } from '../mailbox-store/mailbox-store.types.js';
import type { ClaimedRecipient } from './repositories/outbound-queue.repository.js';
import type { RecipientOutcome } from './smtp-sender.js';

/**
 * Mail for this server's own domains. Queued mail (a scheduled or undo-able send, a retry after a
 * full mailbox) skips SMTP: it is stored straight into the recipients' INBOXes (one transaction for
 * the group) and their aliases' external forwards are queued in that same transaction, exactly as
 * the MX stores what it receives (storeAndForward, shared with it). An unknown address fails
 * permanently (550 5.1.1, a DSN follows); a full mailbox is temporary (452 4.2.2) and retried on
 * the schedule, like a remote 4xx.
 */
@Injectable()
export class LocalDelivery {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly directory: DirectoryService,
    private readonly store: MailboxStoreService,
    private readonly queue: OutboundQueueService,
    private readonly rules: DeliveryRulesService,
  ) {}

  /** Issue 15: the original sender behind one of our SRS0 addresses (a forward's bounce), else undefined. */
  reverseSrs(address: string): string | undefined {
    return this.rules.reverseSrs(address);
  }

  isLocalDomain(domain: string): Promise<boolean> {
    return this.directory.isLocalDomain(domain);
  }

  async deliver(group: ClaimedRecipient[], raw: Buffer): Promise<RecipientOutcome[]> {
    const outcomes = new Map<string, RecipientOutcome>();
    const accounts = new Set<string>();
    const forwards = new Map<string, { address: string; orcpt: string }>();
    const delivered: string[] = [];
    for (const r of group) {
      const res = await this.directory.resolveRecipient(r.address);
      if (res.kind !== 'local') {
        outcomes.set(r.address, { address: r.address, status: 'permanent', reply: '550 5.1.1 No such user here' });
      } else if (res.overQuota.length > 0) {
        outcomes.set(r.address, { address: r.address, status: 'temporary', reply: '452 4.2.2 Mailbox full, try again later' });
      } else {
        for (const id of res.accountIds) accounts.add(id);
        for (const f of res.forwards) if (!forwards.has(f)) forwards.set(f, { address: f, orcpt: `rfc822;${r.address}` });
        delivered.push(r.address);
      }
    }
    if (delivered.length > 0) {
      const first = group[0]!;
      const summary = await summarizeMessage(raw);
      try {
        await this.storeAndForward(
          { raw, summary, envelopeFrom: first.envelopeFrom, targets: [...accounts].map((accountId) => ({ accountId, mailbox: { specialUse: 'inbox' as const }, incoming: true })) },
          [...forwards.values()],
        );
        for (const a of delivered) outcomes.set(a, { address: a, status: 'delivered', reply: '250 2.0.0 Delivered to the local mailbox' });
      } catch (err) {
        // A mailbox filled up since the check, or the database failed: nothing was stored; retry.
        const reply = err instanceof AppError && err.code === ErrorCode.OverQuota ? '452 4.2.2 Mailbox full, try again later' : `451 4.3.0 Local delivery failed: ${(err as Error).message}`;
        for (const a of delivered) outcomes.set(a, { address: a, status: 'temporary', reply });
      }
    }
    return group.map((r) => outcomes.get(r.address)!);
  }

  /**
   * Stores the local copies and queues the aliases' external forwards in ONE transaction (the MX's
   * 250 and the worker's "delivered" cover both), then announces the copies. Without forwards it is
   * the mail store's one-statement delivery, whose COMMIT concurrent deliveries may share.
   */
  async storeAndForward(delivery: DeliveryRequest, forwards: { address: string; notify?: string[]; orcpt?: string }[]): Promise<StoredCopy[]> {
    // Issue 15: each target account's rules (filters, blocked/allowed senders, forwarding, vacation)
    // decide where its copy goes BEFORE the write; what they add is queued in the same transaction.
    const plan = await this.rules.plan(delivery);
    if (!plan.changed) return this.storeAndQueue(delivery, forwards);
    try {
      return await this.storeAndQueue({ ...delivery, targets: plan.targets }, forwards, plan);
    } catch (err) {
      // A folder a filter names went away since the rules were cached: deliver as if no rule had
      // placed it (INBOX) rather than refuse the mail; the next delivery reads the folders again.
      if (!(err instanceof AppError && err.code === ErrorCode.NotFound)) throw err;
      for (const t of delivery.targets) this.rules.forget(t.accountId);
      return this.storeAndQueue(delivery, forwards);
    }
  }

  /**
   * What the recipients' rules add to a delivery — forwards and vacation replies — queued inside the
   * delivering transaction (also OutgoingService's, for a local recipient of mail a user sends).
   */
  async queueRulesOutputWithin(tx: PoolClient, plan: RulesPlan): Promise<void> {
    for (const f of plan.forwards) await this.queue.enqueueForwards(tx, f);
    for (const v of plan.vacations) {
      // RFC 3834 §3.3 / RFC 5230: the reply goes out with the null sender, so nothing answers it.
      if (await this.rules.claimVacationWithin(tx, v)) await this.queue.enqueue(tx, { accountId: v.accountId, raw: v.raw, envelopeFrom: '', recipients: [{ address: v.sender }] });
    }
  }

  /** Plans the recipients' rules for a delivery (see storeAndForward); forget() drops an account's cached rules. */
  planRules(delivery: DeliveryRequest): Promise<RulesPlan> {
    return this.rules.plan(delivery);
  }

  forgetRules(accountIds: string[]): void {
    for (const id of accountIds) this.rules.forget(id);
  }

  private async storeAndQueue(delivery: DeliveryRequest, forwards: { address: string; notify?: string[]; orcpt?: string }[], plan?: RulesPlan): Promise<StoredCopy[]> {
    const more = plan && (plan.forwards.length > 0 || plan.vacations.length > 0);
    if (forwards.length === 0 && !more && delivery.targets.length > 0) return this.store.deliverGrouped(delivery);
    const dsn = delivery.dsn as { ret?: string | null; envid?: string | null } | undefined;
    const copies = await withTransaction(this.pool, async (tx) => {
      const local = delivery.targets.length > 0 ? await this.store.deliverWithin(tx, delivery) : [];
      if (forwards.length > 0) await this.queue.enqueueForwards(tx, { raw: delivery.raw, envelopeFrom: delivery.envelopeFrom, recipients: forwards, dsn });
      if (plan) await this.queueRulesOutputWithin(tx, plan);
      return local;
    });
    this.store.publishDelivered(copies);
    return copies;
  }
}
