import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { MESSAGE_STRUCTURE_VERSION, rawEnvelopeForms } from '@correio/imap-protocol';
import { AppError, ErrorCode } from '../common/app-error.js';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { GroupCommit } from './group-commit.js';
import { MailboxMessageWrites } from './mailbox-message-writes.js';
import type { DeliveryRequest, MailboxChange, MessageRow, StoredCopy } from './mailbox-store.types.js';
import { PipelinedConnection } from './pipelined-connection.js';
import { DeliveryRepository } from './repositories/delivery.repository.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { buildSearchText } from './search/search-text.js';
import { compareIds, isId } from './store-ids.js';

/**
 * The store's one delivery path (MX, submission, APPEND, drafts): one statement per copy (quota
 * charge, UID/modseq, blob, thread, search text, message row), alone, in a caller's transaction, or
 * sharing a COMMIT with concurrent deliveries (group commit). Behind MailboxStoreService, whose
 * invariants (durable before acknowledged, commit then publish, LOCK ORDER) it keeps.
 */
@Injectable()
export class MailboxDelivery implements OnApplicationShutdown {
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
    private readonly mailboxes: MailboxRepository,
    private readonly delivery: DeliveryRepository,
    private readonly writes: MailboxMessageWrites,
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
      if (expunge && !expunge.change) expunge.change = await this.writes.expungeLockedWithin(tx!, expunge.row);
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

  private publish(change: MailboxChange): void {
    this.events.publish(change);
  }
}
