import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import { PG_POOL } from '../database/database.module.js';
import { BLOB_STORE } from './blob-store.token.js';
import { type BlobStore, PostgresBlobStore } from './blob-store.js';
import { MailboxDelivery } from './mailbox-delivery.js';
import { MailboxDrafts } from './mailbox-drafts.js';
import { MailboxMessageWrites } from './mailbox-message-writes.js';
import type { DeliveryRequest, MailboxChange, MailboxRow, MessageFlags, MessageRow, SpecialUse, StoredCopy } from './mailbox-store.types.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { type ListCursor, MessageRepository } from './repositories/message.repository.js';
import { isId } from './store-ids.js';

/**
 * Use-cases of the mail store. Invariants kept here:
 * - Acknowledged means durable: deliver() resolves only after COMMIT of every copy (invariant 1).
 * - A message, its blob, mailbox UID and flags appear in one transaction (invariant 2).
 * - Commit, then publish: events go out after COMMIT, never from inside a transaction (invariant 6).
 * - Never socket I/O inside a transaction: callers read the whole message before calling in.
 * - LOCK ORDER. Every write transaction takes its row locks in one global order, so concurrent
 *   writers wait for each other instead of deadlocking (PostgreSQL would abort one of them):
 *   the one message row it changes (FOR UPDATE), then the account row (quota), then mailbox rows
 *   (UID/modseq allocation), accounts and mailboxes by ascending id.
 *
 * The reads and the account's mailboxes are here; the rest is behind it, one job a file:
 * mailbox-delivery.ts (deliveries, group commit), mailbox-message-writes.ts (flags, move, expunge),
 * mailbox-drafts.ts (drafts).
 */
@Injectable()
export class MailboxStoreService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly mailboxes: MailboxRepository,
    private readonly messages: MessageRepository,
    private readonly delivery: MailboxDelivery,
    private readonly writes: MailboxMessageWrites,
    private readonly drafts: MailboxDrafts,
  ) {}

  createStandardMailboxes(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<void> {
    return this.mailboxes.createStandard(tx, accountId);
  }

  /**
   * Deletes all mail of an account, in the caller's transaction (account removal, which has locked
   * the account row first: lock order). Blobs and tombstones have no foreign key to the account, so
   * nothing else would remove them.
   */
  async purgeAccount(tx: Pick<PoolClient, 'query'>, accountId: string): Promise<void> {
    await this.messages.deleteAccount(tx, accountId);
    await this.mailboxes.deleteAccount(tx, accountId);
    await this.blobs.deleteAccount(tx, accountId);
  }

  /**
   * Part of purgeAccount() for an account an admin removed, each call its own short transaction so a
   * large mailbox never holds one huge transaction: up to `limit` messages, then (none left) up to
   * `limit` blobs. 0 when only the small rest is left for purgeAccount(). The caller makes sure the
   * account is disabled and marked for removal (nothing adds mail to it meanwhile).
   * Several purgers may run at once (processes, a manual call): each deletes rows the others do not
   * hold and returns what it deleted itself. One that finds every message left held by another waits
   * for that one's COMMIT rather than start on the blobs (or answer 0) while messages remain.
   */
  async purgeAccountPart(accountId: string, limit: number): Promise<number> {
    for (const rows of [this.messages, this.blobs]) {
      for (;;) {
        const n = await rows.deleteAccountPart(this.pool, accountId, limit);
        if (n > 0) return n;
        if (!(await rows.anyAccountRowLeft(this.pool, accountId))) break;
      }
    }
    return 0;
  }

  // ---- Delivery: mailbox-delivery.ts

  /** Stores one copy per target in a single transaction. Throws AppError(OverQuota) untouched. */
  deliver(req: DeliveryRequest): Promise<StoredCopy[]> {
    return this.delivery.deliver(req);
  }

  /** deliver() for a message with one copy, possibly sharing its COMMIT (group commit). */
  deliverGrouped(req: DeliveryRequest): Promise<StoredCopy[]> {
    return this.delivery.deliverGrouped(req);
  }

  /** deliver() inside the caller's transaction; the caller publishes with publishDelivered() after its COMMIT. */
  deliverWithin(tx: PoolClient, req: DeliveryRequest): Promise<StoredCopy[]> {
    return this.delivery.deliverWithin(tx, req);
  }

  /** deliverWithin() that also expunges a message row the caller locked first (lockDraftWithin), in the LOCK ORDER. */
  deliverAndExpungeWithin(tx: PoolClient, req: DeliveryRequest, locked: MessageRow): Promise<{ copies: StoredCopy[]; expunged: MailboxChange }> {
    return this.delivery.deliverAndExpungeWithin(tx, req, locked);
  }

  /** Publishes the 'exists' changes of stored copies; call after COMMIT only. */
  publishDelivered(copies: StoredCopy[]): void {
    this.delivery.publishDelivered(copies);
  }

  // ---- Reads

  listMailboxes(accountId: string): Promise<MailboxRow[]> {
    return this.mailboxes.list(accountId);
  }

  async listMessages(accountId: string, mailboxId: string, limit: number, cursor?: ListCursor): Promise<MessageRow[]> {
    if (!isId(mailboxId) || !(await this.mailboxes.find(accountId, mailboxId))) throw AppError.notFound('mailbox not found');
    return this.messages.list(accountId, mailboxId, limit, cursor);
  }

  async getMessage(accountId: string, id: string): Promise<MessageRow> {
    const row = isId(id) ? await this.messages.find(accountId, id) : undefined;
    if (!row) throw AppError.notFound('message not found');
    return row;
  }

  /** The message at a UID of one of the account's mailboxes (after an APPEND), or 404. */
  async getMessageByUid(accountId: string, mailboxId: string, uid: number): Promise<MessageRow> {
    const row = isId(mailboxId) ? await this.messages.findByUid(accountId, mailboxId, uid) : undefined;
    if (!row) throw AppError.notFound('message not found');
    return row;
  }

  async getRaw(accountId: string, id: string): Promise<{ row: MessageRow; raw: Buffer }> {
    if (this.blobs instanceof PostgresBlobStore) {
      const found = isId(id) ? await this.messages.findWithRaw(accountId, id) : undefined;
      if (!found) throw AppError.notFound('message not found');
      return found;
    }
    const row = await this.getMessage(accountId, id);
    const raw = await this.blobs.get(this.pool, accountId, row.blobId);
    if (!raw) throw AppError.notFound('message not found');
    return { row, raw };
  }

  /**
   * getRaw() for many messages at once, into shared memory (POP3 read-ahead): the bytes of each
   * requested message that still exists are written into `into` at its offset if they fit its
   * capacity; resolves to id -> length of each found (a length over the capacity: not written). A
   * missing id is a message gone (or never there). One statement on a worker thread with the
   * PostgreSQL BlobStore; one getRaw() per id with any other.
   */
  async readRawInto(accountId: string, requests: { id: string; offset: number; capacity: number }[], into: SharedArrayBuffer): Promise<Map<string, number>> {
    const valid = requests.filter((r) => isId(r.id));
    if (valid.length === 0) return new Map();
    if (this.blobs instanceof PostgresBlobStore) return this.messages.readRawInto(accountId, valid, into);
    const found = new Map<string, number>();
    const memory = Buffer.from(into);
    for (const r of valid) {
      const got = await this.getRaw(accountId, r.id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === ErrorCode.NotFound) return undefined;
        throw err;
      });
      if (!got) continue;
      found.set(r.id, got.raw.length);
      if (got.raw.length <= r.capacity) got.raw.copy(memory, r.offset);
    }
    return found;
  }

  /** Gets readRawInto ready ahead of the first read (its worker thread), where it has one. */
  prepareRawReads(): void {
    if (this.blobs instanceof PostgresBlobStore) this.messages.prepareRawReads();
  }

  /** The account's mailbox with this special use (the first one), or undefined. */
  mailboxIdBySpecialUse(accountId: string, use: SpecialUse): Promise<string | undefined> {
    return this.mailboxes.findBySpecialUse(accountId, use);
  }

  /**
   * The INBOX as a POP3 maildrop: its UIDVALIDITY and every message's (id, uid, size) in UID order,
   * size being the stored raw byte count (what RETR sends before dot-stuffing).
   */
  async getMaildrop(accountId: string): Promise<{ mailboxId: string; uidValidity: number; messages: { id: string; uid: number; size: number }[] }> {
    const inboxId = await this.mailboxes.findBySpecialUse(accountId, 'inbox');
    const inbox = inboxId ? await this.mailboxes.find(accountId, inboxId) : undefined;
    if (!inbox) throw AppError.notFound('mailbox not found');
    return { mailboxId: inbox.id, uidValidity: inbox.uidValidity, messages: await this.messages.listSizes(accountId, inbox.id) };
  }

  // ---- Writes: mailbox-message-writes.ts

  async updateFlags(accountId: string, id: string, flags: MessageFlags): Promise<MessageRow> {
    await this.writes.updateFlags(accountId, id, flags);
    return this.getMessage(accountId, id);
  }

  /** Moves a message: new UID in the target, tombstone in the source (RFC 6851 semantics). */
  async move(accountId: string, id: string, targetMailboxId: string): Promise<MessageRow> {
    await this.writes.move(accountId, id, targetMailboxId);
    return this.getMessage(accountId, id);
  }

  /** Deletes for good: row gone, tombstone left, blob and quota released when no copy remains. */
  expunge(accountId: string, id: string): Promise<void> {
    return this.writes.expunge(accountId, id);
  }

  /** expunge() for several messages in ONE transaction (POP3 UPDATE state, RFC 1939 §6): all of them go or none. */
  expungeMany(accountId: string, ids: string[]): Promise<number> {
    return this.writes.expungeMany(accountId, ids);
  }

  /** \Answered on the account's messages whose Message-ID is among `messageIds` (a reply to them was sent). */
  markAnswered(accountId: string, messageIds: string[]): Promise<number> {
    return this.writes.markAnswered(accountId, messageIds);
  }

  /** Expunges a row locked in the caller's transaction; returns the change to publish after COMMIT (publishChanges). */
  expungeLockedWithin(tx: PoolClient, row: MessageRow): Promise<MailboxChange> {
    return this.writes.expungeLockedWithin(tx, row);
  }

  /** Publishes changes made in a caller's transaction; call after COMMIT only. */
  publishChanges(changes: MailboxChange[]): void {
    this.writes.publishChanges(changes);
  }

  /** Webmail "delete": to Trash, or for good when already in Trash (as Gmail and Outlook do). */
  async trashOrExpunge(accountId: string, id: string): Promise<{ result: 'trashed' | 'expunged'; id: string | null }> {
    const row = await this.getMessage(accountId, id);
    const trashId = await this.mailboxes.findBySpecialUse(accountId, 'trash');
    if (!trashId || row.mailboxId === trashId) {
      await this.expunge(accountId, id);
      return { result: 'expunged', id: null };
    }
    const moved = await this.move(accountId, id, trashId);
    return { result: 'trashed', id: moved.id };
  }

  // ---- Drafts: mailbox-drafts.ts

  /** Locks a draft of the account in the caller's transaction (first in the LOCK ORDER); 404 for anything that is no draft. */
  lockDraftWithin(tx: PoolClient, accountId: string, id: string): Promise<MessageRow> {
    return this.drafts.lockDraftWithin(tx, accountId, id);
  }

  /** Saves a draft into Drafts, replacing (expunging) the one it replaces in the same transaction. */
  saveDraft(req: Parameters<MailboxDrafts['saveDraft']>[0]): Promise<StoredCopy> {
    return this.drafts.saveDraft(req);
  }

  /** Discards a draft (for good: drafts do not go to Trash). 404 for anything that is no draft. */
  deleteDraft(accountId: string, id: string): Promise<void> {
    return this.drafts.deleteDraft(accountId, id);
  }
}
