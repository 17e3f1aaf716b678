import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { AppError } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { UsageRepository } from '../directory/repositories/usage.repository.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { BLOB_STORE } from './blob-store.token.js';
import type { BlobStore } from './blob-store.js';
import type { MailboxChange, MessageFlags, MessageRow } from './mailbox-store.types.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { MessageRepository } from './repositories/message.repository.js';
import { compareIds, isId } from './store-ids.js';

/**
 * The store's writes to messages already stored (flags, move, expunge; \Answered after a reply),
 * each one transaction in the LOCK ORDER of mailbox-store.service.ts, publishing its changes after
 * COMMIT. Behind MailboxStoreService, which re-reads the row a flag change or move answers with.
 */
@Injectable()
export class MailboxMessageWrites {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly mailboxes: MailboxRepository,
    private readonly messages: MessageRepository,
    private readonly usage: UsageRepository,
    private readonly events: MailEventsService,
  ) {}

  async updateFlags(accountId: string, id: string, flags: MessageFlags): Promise<void> {
    const change = await withTransaction(this.pool, async (tx) => {
      const row = isId(id) ? await this.messages.find(accountId, id, tx, true) : undefined;
      if (!row) throw AppError.notFound('message not found');
      const unchanged = (['seen', 'flagged', 'answered', 'draft'] as const).every((f) => flags[f] === undefined || flags[f] === row[f]);
      if (unchanged) return undefined;
      // RFC 7162 §3.1: every flag change gets a new, higher mod-sequence.
      const { modseq } = await this.mailboxes.allocate(tx, accountId, row.mailboxId, 0);
      await this.messages.updateFlags(tx, accountId, id, flags, modseq);
      return { accountId, mailboxId: row.mailboxId, kind: 'flags', uids: [row.uid], modseq } satisfies MailboxChange;
    });
    if (change) this.publish(change);
  }

  /** Moves a message: new UID in the target, tombstone in the source (RFC 6851 semantics). */
  async move(accountId: string, id: string, targetMailboxId: string): Promise<void> {
    const changes = await withTransaction(this.pool, async (tx) => {
      const row = isId(id) ? await this.messages.find(accountId, id, tx, true) : undefined;
      if (!row) throw AppError.notFound('message not found');
      if (!isId(targetMailboxId) || !(await this.mailboxes.find(accountId, targetMailboxId, tx))) {
        throw AppError.notFound('mailbox not found');
      }
      if (row.mailboxId === targetMailboxId) return [];
      // Lock order: the lower mailbox id first.
      const sourceFirst = compareIds(row.mailboxId, targetMailboxId) < 0;
      const first = await this.mailboxes.allocate(tx, accountId, sourceFirst ? row.mailboxId : targetMailboxId, sourceFirst ? 0 : 1);
      const second = await this.mailboxes.allocate(tx, accountId, sourceFirst ? targetMailboxId : row.mailboxId, sourceFirst ? 1 : 0);
      const [source, target] = sourceFirst ? [first, second] : [second, first];
      await this.messages.addTombstone(tx, row, source.modseq);
      await this.messages.relocate(tx, accountId, id, targetMailboxId, target.firstUid, target.modseq);
      return [
        { accountId, mailboxId: row.mailboxId, kind: 'expunge', uids: [row.uid], modseq: source.modseq },
        { accountId, mailboxId: targetMailboxId, kind: 'exists', uids: [target.firstUid], modseq: target.modseq },
      ] satisfies MailboxChange[];
    });
    for (const c of changes) this.publish(c);
  }

  /** Deletes for good: row gone, tombstone left, blob and quota released when no copy remains. */
  async expunge(accountId: string, id: string): Promise<void> {
    const change = await withTransaction(this.pool, async (tx) => {
      const row = isId(id) ? await this.messages.find(accountId, id, tx, true) : undefined;
      if (!row) throw AppError.notFound('message not found');
      await this.usage.release(tx, accountId, row.size); // lock order: the account row before the mailbox row
      const { modseq } = await this.mailboxes.allocate(tx, accountId, row.mailboxId, 0);
      await this.messages.expunge(tx, row, modseq);
      if ((await this.messages.countBlobReferences(tx, accountId, row.blobId)) === 0) {
        await this.blobs.delete(tx, accountId, row.blobId);
      }
      return { accountId, mailboxId: row.mailboxId, kind: 'expunge', uids: [row.uid], modseq } satisfies MailboxChange;
    });
    this.publish(change);
  }

  /**
   * \Answered on the account's messages whose Message-ID is among `messageIds` (a reply to them was
   * sent): one new modseq per mailbox (RFC 7162 §3.1), published like any flag change.
   */
  async markAnswered(accountId: string, messageIds: string[]): Promise<number> {
    const wanted = [...new Set(messageIds.filter((m) => m.length > 0 && m.length <= 995))];
    if (wanted.length === 0) return 0;
    const changes = await withTransaction(this.pool, async (tx) => {
      const rows = await this.messages.lockUnansweredByMessageId(tx, accountId, wanted);
      return this.setFlagWithin(tx, accountId, rows, { answered: true });
    });
    for (const c of changes) this.publish(c);
    return changes.reduce((n, c) => n + c.uids.length, 0);
  }

  /** Sets flags on locked rows, one modseq per mailbox (mailboxes in id order: the LOCK ORDER). */
  private async setFlagWithin(tx: PoolClient, accountId: string, rows: MessageRow[], flags: MessageFlags): Promise<MailboxChange[]> {
    const out: MailboxChange[] = [];
    for (const [mailboxId, inBox] of inMailboxOrder(rows)) {
      const { modseq } = await this.mailboxes.allocate(tx, accountId, mailboxId, 0);
      for (const r of inBox) await this.messages.updateFlags(tx, accountId, r.id, flags, modseq);
      out.push({ accountId, mailboxId, kind: 'flags', uids: inBox.map((r) => r.uid), modseq });
    }
    return out;
  }

  /**
   * Expunges a row locked in the caller's transaction (lockDraftWithin); returns the change for the
   * caller to publish after COMMIT (publishChanges).
   */
  async expungeLockedWithin(tx: PoolClient, row: MessageRow): Promise<MailboxChange> {
    await this.usage.release(tx, row.accountId, row.size);
    const { modseq } = await this.mailboxes.allocate(tx, row.accountId, row.mailboxId, 0);
    await this.messages.expunge(tx, row, modseq);
    if ((await this.messages.countBlobReferences(tx, row.accountId, row.blobId)) === 0) await this.blobs.delete(tx, row.accountId, row.blobId);
    return { accountId: row.accountId, mailboxId: row.mailboxId, kind: 'expunge', uids: [row.uid], modseq };
  }

  /** Publishes changes made in a caller's transaction; call after COMMIT only. */
  publishChanges(changes: MailboxChange[]): void {
    for (const c of changes) this.publish(c);
  }

  /**
   * expunge() for several messages in ONE transaction (POP3 UPDATE state, RFC 1939 §6): all of them
   * go or none. Ids that no longer exist (removed meanwhile by another client) are skipped; returns
   * how many were removed. Lock order: message rows by id, the account row, mailbox rows by id.
   */
  async expungeMany(accountId: string, ids: string[]): Promise<number> {
    const valid = [...new Set(ids.filter(isId))];
    if (valid.length === 0) return 0;
    const changes = await withTransaction(this.pool, async (tx) => {
      const rows = await this.messages.lockMany(tx, accountId, valid);
      if (rows.length === 0) return [];
      await this.usage.release(tx, accountId, rows.reduce((n, r) => n + r.size, 0));
      const out: MailboxChange[] = [];
      for (const [mailboxId, inBox] of inMailboxOrder(rows)) {
        const { modseq } = await this.mailboxes.allocate(tx, accountId, mailboxId, 0);
        for (const r of inBox) await this.messages.expunge(tx, r, modseq);
        out.push({ accountId, mailboxId, kind: 'expunge', uids: inBox.map((r) => r.uid), modseq });
      }
      for (const blobId of new Set(rows.map((r) => r.blobId))) {
        if ((await this.messages.countBlobReferences(tx, accountId, blobId)) === 0) await this.blobs.delete(tx, accountId, blobId);
      }
      return out;
    });
    for (const c of changes) this.publish(c);
    return changes.reduce((n, c) => n + c.uids.length, 0);
  }

  private publish(change: MailboxChange): void {
    this.events.publish(change);
  }
}

/** Rows grouped by mailbox, mailboxes in ascending id (the LOCK ORDER), rows in their given order. */
function inMailboxOrder(rows: MessageRow[]): [string, MessageRow[]][] {
  const byMailbox = new Map<string, MessageRow[]>();
  for (const r of rows) byMailbox.set(r.mailboxId, [...(byMailbox.get(r.mailboxId) ?? []), r]);
  return [...byMailbox.keys()].sort(compareIds).map((mailboxId) => [mailboxId, byMailbox.get(mailboxId)!]);
}
