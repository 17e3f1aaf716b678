import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { AppError } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { MailboxDelivery } from './mailbox-delivery.js';
import { MailboxMessageWrites } from './mailbox-message-writes.js';
import type { DeliveryRequest, MessageRow, StoredCopy } from './mailbox-store.types.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { MessageRepository } from './repositories/message.repository.js';
import { isId } from './store-ids.js';

/**
 * Drafts in the store: saved into Drafts through the delivery path, replaced and discarded in one
 * transaction, and locked for a send that removes its draft. Behind MailboxStoreService.
 */
@Injectable()
export class MailboxDrafts {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly mailboxes: MailboxRepository,
    private readonly messages: MessageRepository,
    private readonly delivery: MailboxDelivery,
    private readonly writes: MailboxMessageWrites,
    private readonly events: MailEventsService,
  ) {}

  /**
   * Locks a draft of the account in the caller's transaction (first: the LOCK ORDER starts with
   * the message row): a message flagged \Draft or in the Drafts mailbox. 404 for anything else,
   * so a draft id can never remove a received message.
   */
  async lockDraftWithin(tx: PoolClient, accountId: string, id: string): Promise<MessageRow> {
    const row = isId(id) ? await this.messages.find(accountId, id, tx, true) : undefined;
    const draftsId = row && !row.draft ? await this.mailboxes.findBySpecialUse(accountId, 'drafts', tx) : undefined;
    if (!row || !(row.draft || row.mailboxId === draftsId)) throw AppError.notFound('draft not found');
    return row;
  }

  private async lockMessageWithin(tx: PoolClient, accountId: string, id: string): Promise<MessageRow> {
    const row = isId(id) ? await this.messages.find(accountId, id, tx, true) : undefined;
    if (!row) throw AppError.notFound('message not found');
    return row;
  }

  /**
   * Saves a draft into the Drafts mailbox (\Draft \Seen) and, when it replaces one, expunges the
   * old version in the SAME transaction: an IMAP client sees one draft, never a pile of copies.
   * 404 when the draft to replace is gone (or is no draft).
   */
  async saveDraft(req: {
    accountId: string;
    raw: Buffer;
    summary: DeliveryRequest['summary'];
    replaceId?: string;
    /** The message replaced may be any of the account's (a cancelled send's Sent copy), not only a draft. */
    replaceAny?: boolean;
  }): Promise<StoredCopy> {
    const { copy, changes } = await withTransaction(this.pool, async (tx) => {
      const old =
        req.replaceId === undefined
          ? undefined
          : req.replaceAny
            ? await this.lockMessageWithin(tx, req.accountId, req.replaceId)
            : await this.lockDraftWithin(tx, req.accountId, req.replaceId);
      const draft: DeliveryRequest = {
        raw: req.raw,
        summary: req.summary,
        envelopeFrom: req.summary.from.address,
        targets: [{ accountId: req.accountId, mailbox: { specialUse: 'drafts' }, seen: true }],
        flags: { seen: true, draft: true },
      };
      // The replaced message's mailbox is locked in its LOCK ORDER place (a cancelled send's copy
      // may be in any mailbox, INBOX sorting before Drafts).
      if (!old) return { copy: (await this.delivery.deliverWithin(tx, draft))[0]!, changes: [] };
      const { copies, expunged } = await this.delivery.deliverAndExpungeWithin(tx, draft, old);
      return { copy: copies[0]!, changes: [expunged] };
    });
    this.delivery.publishDelivered([copy]);
    this.writes.publishChanges(changes);
    return copy;
  }

  /** Discards a draft (for good: drafts do not go to Trash). 404 for anything that is no draft. */
  async deleteDraft(accountId: string, id: string): Promise<void> {
    const change = await withTransaction(this.pool, async (tx) => this.writes.expungeLockedWithin(tx, await this.lockDraftWithin(tx, accountId, id)));
    this.events.publish(change);
  }
}
