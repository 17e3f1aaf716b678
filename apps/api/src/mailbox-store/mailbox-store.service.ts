import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { MESSAGE_STRUCTURE_VERSION, rawEnvelopeForms } from '@correio/imap-protocol';
import { AppError, ErrorCode } from '../common/app-error.js';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import { UsageRepository } from '../directory/repositories/usage.repository.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { BLOB_STORE } from './blob-store.token.js';
import { GroupCommit } from './group-commit.js';
import { PipelinedConnection } from './pipelined-connection.js';
import { type BlobStore, PostgresBlobStore } from './blob-store.js';
import type { DeliveryRequest, MailboxChange, MailboxRow, MessageFlags, MessageRow, SpecialUse, StoredCopy } from './mailbox-store.types.js';
import { DeliveryRepository } from './repositories/delivery.repository.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { type ListCursor, MessageRepository } from './repositories/message.repository.js';
import { buildSearchText } from './search/search-text.js';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * Ids are positive BIGINTs. Anything else names nothing here: it must be "not found", never reach
 * SQL (PostgreSQL would raise "out of range for type bigint", a 500 instead of a 404).
 */
function isId(id: string): boolean {
  return /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

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
 */
@Injectable()
export class MailboxStoreService implements OnApplicationShutdown {
  /**
   * Concurrent one-copy deliveries share COMMITs (group-commit.ts). 64 messages or 8 MiB per
   * transaction: the first message of a full group waits for the other 63 statements (a few ms),
   * and the row lock on a busy INBOX is held once per group instead of once per message.
   */
  private readonly grouped: GroupCommit<DeliveryRequest, StoredCopy[]>;
  /** The group's BEGIN, statements and COMMIT in one round trip (real PostgreSQL only: pipelined-connection.ts). */
  private readonly pipeline?: PipelinedConnection;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly mailboxes: MailboxRepository,
    private readonly messages: MessageRepository,
    private readonly usage: UsageRepository,
    private readonly delivery: DeliveryRepository,
    private readonly events: MailEventsService,
    @Inject(DB_FEATURES) features: DbFeatures,
  ) {
    if (features.preparedStatements) {
      const options = (pool as unknown as { options: PipelinedConnection['config'] }).options;
      this.pipeline = new PipelinedConnection({ ...options, application_name: 'correio-group-commit' });
    }
    this.grouped = new GroupCommit<DeliveryRequest, StoredCopy[]>(this.pool, { maxItems: 64, maxBytes: 8 * 2 ** 20, pipeline: this.pipeline }, {
      run: (q, req) => this.storeCopies(q, req),
      committed: (copies) => this.publishDelivered(copies),
      isSoftFailure: (err) => err instanceof AppError && (err.code === ErrorCode.OverQuota || err.code === ErrorCode.NotFound),
      weigh: (req) => req.raw.length,
      // LOCK ORDER across the group's messages: accounts ascending (each message locks its account,
      // then its mailbox).
      order: (a, b) => compareIds(a.targets[0]!.accountId, b.targets[0]!.accountId),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pipeline?.close();
  }

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

  /** Stores one copy per target in a single transaction. Throws AppError(OverQuota) untouched. */
  async deliver(req: DeliveryRequest): Promise<StoredCopy[]> {
    // One copy: one statement, atomic by itself (DeliveryRepository), committed when it returns.
    const copies =
      req.targets.length === 1
        ? await this.storeCopies(this.pool, req)
        : await withTransaction(this.pool, (tx) => this.storeCopies(tx, req));
    this.publishDelivered(copies);
    return copies;
  }

  /**
   * deliver() for a message with one copy (the MX's usual case), possibly sharing its COMMIT with
   * other deliveries that arrive meanwhile (group-commit.ts). Resolves after that COMMIT; an
   * over-quota or missing mailbox fails only this message. Several copies go through deliver(),
   * alone: a group can hold a message only if its failure writes nothing.
   */
  deliverGrouped(req: DeliveryRequest): Promise<StoredCopy[]> {
    return req.targets.length === 1 ? this.grouped.submit(req) : this.deliver(req);
  }

  /**
   * deliver() inside the caller's transaction, for callers that must commit more in the same
   * transaction (submission: local copies, the Sent copy and the outbound queue entry). The caller
   * publishes with publishDelivered() after its COMMIT.
   */
  deliverWithin(tx: PoolClient, req: DeliveryRequest): Promise<StoredCopy[]> {
    return this.storeCopies(tx, req);
  }

  /**
   * deliverWithin() that also expunges a message row the caller locked first (lockDraftWithin: a
   * send from a draft). The expunge (its account row, then its mailbox) runs at its place in the
   * LOCK ORDER among the targets, not after them: the Drafts mailbox sorts before Sent.
   */
  async deliverAndExpungeWithin(tx: PoolClient, req: DeliveryRequest, locked: MessageRow): Promise<{ copies: StoredCopy[]; expunged: MailboxChange }> {
    const slot: { row: MessageRow; change?: MailboxChange } = { row: locked };
    const copies = await this.storeCopies(tx, req, slot, tx);
    return { copies, expunged: slot.change! };
  }

  private async storeCopies(
    q: Pick<PoolClient, 'query'>,
    req: DeliveryRequest,
    expunge?: { row: MessageRow; change?: MailboxChange },
    tx?: PoolClient,
  ): Promise<StoredCopy[]> {
    const internalDate = req.internalDate ?? new Date();
    const related = [req.summary.inReplyTo, ...req.summary.references].filter((v): v is string => !!v);
    const sha256 = createHash('sha256').update(req.raw).digest('hex');
    // The search index row goes in the same statement as the blob (IMAP SEARCH TEXT/BODY/HEADER).
    const searchText = buildSearchText(req.raw, req.summary);
    // IMAP's ENVELOPE text, kept on the row now (APPEND): else the first FETCH of a mailbox rewrites every row.
    const envelopeForms = req.keepImapEnvelope ? rawEnvelopeForms(req.raw) : null;
    // Copies in one account (several mailboxes) are one message: one blob, one thread.
    const blobByAccount = new Map<string, string>();
    const threadByAccount = new Map<string, string>();
    const stored: StoredCopy[] = [];
    const expungeNow = async () => {
      if (expunge && !expunge.change) expunge.change = await this.expungeLockedWithin(tx!, expunge.row);
    };
    for (const target of await this.inLockOrder(q, req.targets, expunge !== undefined)) {
      // LOCK ORDER: the expunged row's (account, mailbox) before any target that sorts after it.
      if (expunge && (compareIds(expunge.row.accountId, target.accountId) || compareIds(expunge.row.mailboxId, target.mailboxId!)) < 0) await expungeNow();
      const params = {
        accountId: target.accountId,
        mailboxId: target.mailboxId,
        specialUse: target.specialUse,
        size: req.raw.length,
        blobId: blobByAccount.get(target.accountId) ?? null,
        blobData: blobByAccount.has(target.accountId) ? null : req.raw,
        blobSha256: sha256,
        threadId: threadByAccount.get(target.accountId) ?? null,
        related,
        internalDate,
        envelopeFrom: req.envelopeFrom,
        summary: req.summary,
        authResults: req.authResults,
        dsn: req.dsn,
        seen: target.seen ?? req.flags?.seen ?? false,
        flagged: target.flagged ?? false,
        keywords: target.keywords ?? [],
        draft: req.flags?.draft ?? false,
        searchText,
        incoming: target.incoming ?? false,
        envelopeForms,
        envelopeVersion: MESSAGE_STRUCTURE_VERSION,
      };
      const row = await this.delivery.insertCopy(q, params);
      if (!row) {
        const why = await this.delivery.copyFailureReason(q, params);
        if (why === 'quota') throw new AppError(ErrorCode.OverQuota, `mailbox full for account ${target.accountId}`);
        throw AppError.notFound('mailbox not found');
      }
      blobByAccount.set(target.accountId, row.blobId);
      threadByAccount.set(target.accountId, row.threadId);
      stored.push({ accountId: target.accountId, mailboxId: row.mailboxId, messageId: row.id, uid: row.uid, modseq: row.modseq });
    }
    await expungeNow();
    return stored;
  }

  /**
   * Targets as (account, mailbox id) in the LOCK ORDER. One target needs no ordering, so its
   * special use is resolved inside the delivery statement; several are resolved first.
   */
  private async inLockOrder(
    q: Pick<PoolClient, 'query'>,
    targets: DeliveryRequest['targets'],
    resolve = false,
  ): Promise<{ accountId: string; mailboxId: string | null; specialUse: string | null; seen?: boolean; flagged?: boolean; keywords?: string[]; incoming?: boolean }[]> {
    if (targets.length === 1 && !resolve) {
      const t = targets[0]!;
      if ('id' in t.mailbox && !isId(t.mailbox.id)) throw AppError.notFound('mailbox not found');
      return [{ accountId: t.accountId, mailboxId: 'id' in t.mailbox ? t.mailbox.id : null, specialUse: 'specialUse' in t.mailbox ? t.mailbox.specialUse : null, seen: t.seen, flagged: t.flagged, keywords: t.keywords, incoming: t.incoming }];
    }
    const resolved: { accountId: string; mailboxId: string | null; specialUse: null; seen?: boolean; flagged?: boolean; keywords?: string[]; incoming?: boolean }[] = [];
    for (const t of targets) {
      const mailboxId =
        'id' in t.mailbox ? (isId(t.mailbox.id) ? t.mailbox.id : undefined) : await this.mailboxes.findBySpecialUse(t.accountId, t.mailbox.specialUse, q);
      if (!mailboxId) throw AppError.notFound('mailbox not found');
      resolved.push({ accountId: t.accountId, mailboxId, specialUse: null, seen: t.seen, flagged: t.flagged, keywords: t.keywords, incoming: t.incoming });
    }
    return resolved.sort((a, b) => compareIds(a.accountId, b.accountId) || compareIds(a.mailboxId!, b.mailboxId!));
  }

  /** Publishes the 'exists' changes of stored copies; call after COMMIT only. */
  publishDelivered(copies: StoredCopy[]): void {
    for (const c of copies) this.publish({ accountId: c.accountId, mailboxId: c.mailboxId, kind: 'exists', uids: [c.uid], modseq: c.modseq });
  }

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

  async updateFlags(accountId: string, id: string, flags: MessageFlags): Promise<MessageRow> {
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
    return this.getMessage(accountId, id);
  }

  /** Moves a message: new UID in the target, tombstone in the source (RFC 6851 semantics). */
  async move(accountId: string, id: string, targetMailboxId: string): Promise<MessageRow> {
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
    return this.getMessage(accountId, id);
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

  /** The account's mailbox with this special use (the first one), or undefined. */
  mailboxIdBySpecialUse(accountId: string, use: SpecialUse): Promise<string | undefined> {
    return this.mailboxes.findBySpecialUse(accountId, use);
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
    const byMailbox = new Map<string, MessageRow[]>();
    for (const r of rows) byMailbox.set(r.mailboxId, [...(byMailbox.get(r.mailboxId) ?? []), r]);
    const out: MailboxChange[] = [];
    for (const mailboxId of [...byMailbox.keys()].sort(compareIds)) {
      const inBox = byMailbox.get(mailboxId)!;
      const { modseq } = await this.mailboxes.allocate(tx, accountId, mailboxId, 0);
      for (const r of inBox) await this.messages.updateFlags(tx, accountId, r.id, flags, modseq);
      out.push({ accountId, mailboxId, kind: 'flags', uids: inBox.map((r) => r.uid), modseq });
    }
    return out;
  }

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
      if (!old) return { copy: (await this.storeCopies(tx, draft))[0]!, changes: [] };
      const { copies, expunged } = await this.deliverAndExpungeWithin(tx, draft, old);
      return { copy: copies[0]!, changes: [expunged] };
    });
    this.publishDelivered([copy]);
    this.publishChanges(changes);
    return copy;
  }

  /** Discards a draft (for good: drafts do not go to Trash). 404 for anything that is no draft. */
  async deleteDraft(accountId: string, id: string): Promise<void> {
    const change = await withTransaction(this.pool, async (tx) => this.expungeLockedWithin(tx, await this.lockDraftWithin(tx, accountId, id)));
    this.publish(change);
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
      const byMailbox = new Map<string, MessageRow[]>();
      for (const r of rows) byMailbox.set(r.mailboxId, [...(byMailbox.get(r.mailboxId) ?? []), r]);
      const out: MailboxChange[] = [];
      for (const mailboxId of [...byMailbox.keys()].sort(compareIds)) {
        const inBox = byMailbox.get(mailboxId)!;
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

  private publish(change: MailboxChange): void {
    this.events.publish(change);
  }
}
