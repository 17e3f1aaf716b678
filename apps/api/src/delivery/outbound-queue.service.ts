import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { RecordWithin } from '../common/record-within.js';
import { parseId } from '../common/zod-validation.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { DirectoryService } from '../directory/directory.service.js';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import type { BlobStore } from '../mailbox-store/blob-store.js';
import { DkimSignerCache, dkimSignMessage, senderDomain } from './dkim-signing.js';
import { OutboundQueueRepository, type QueueScope } from './repositories/outbound-queue.repository.js';

/**
 * The queue scope of entries that belong to no account: alias forwards the MX accepts for external
 * destinations (the blob and the entry still carry an account id, invariant 4; 0 is nobody's).
 */
export const NO_ACCOUNT = '0';

export interface EnqueueRequest {
  /** The sending account; NO_ACCOUNT for mail no local account sent (alias forwards). */
  accountId: string;
  raw: Buffer;
  /** '' is the null sender <> (DSNs): never notified of anything (RFC 5321 §4.5.5). */
  envelopeFrom: string;
  /**
   * forwardedFor: this recipient is a local alias's external forward and the sender wrote that
   * alias (the send path sets it, never a client): the sender's views show the alias, not this.
   */
  recipients: { address: string; notify?: string[]; orcpt?: string; forwardedFor?: string }[];
  dsn?: { ret?: string | null; envid?: string | null };
  /** Not before then (undo send: a short wait; scheduled send). */
  notBefore?: Date;
  /** Held until released (admin or webmail), whatever notBefore says. */
  held?: boolean;
  /** The sender's Sent copy (messages.id) stored in the same transaction: its delivery status reads this entry. */
  sentMessageId?: string;
}

/** Which entries a caller may touch: all (admin), or one account's (webmail). */
export interface QueueActor {
  accountId?: string;
}

/**
 * The outbound queue (DESIGN: "sends mail out through a durable queue"). Entries are written in the
 * caller's transaction, so a message is queued exactly when the submission that produced it commits.
 * The delivery worker (role `delivery`) claims and sends them. Entries can be held, released,
 * retried now, cancelled before they start (undo send) and deleted while no worker holds them.
 */
@Injectable()
export class OutboundQueueService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly repo: OutboundQueueRepository,
    private readonly directory: DirectoryService,
  ) {}

  private readonly signers = new DkimSignerCache();

  /**
   * Queues a message in the caller's transaction; returns the entry id. The queued bytes are
   * DKIM-signed here, once, with the keys of the envelope sender's domain when it is local and has
   * any (as Postfix + OpenDKIM sign at acceptance): the worker sends them as they are, and retries
   * never sign again.
   */
  async enqueue(tx: PoolClient, req: EnqueueRequest): Promise<string> {
    if (req.recipients.length === 0) throw AppError.invalid('no recipients to queue');
    const domain = senderDomain(req.envelopeFrom);
    // Through tx: nothing may wait on the pool while the caller's transaction holds a client.
    const signers = domain ? await this.signers.get(domain, (d) => this.directory.dkimSignersWithin(tx, d)) : [];
    const raw = await dkimSignMessage(req.raw, signers);
    // Its own blob row: the queue must keep the bytes even if the user deletes the Sent copy.
    const blob = await this.blobs.put(tx, req.accountId, raw);
    const notBefore = req.notBefore ?? new Date();
    return this.repo.insert(tx, {
      accountId: req.accountId,
      blobId: blob.id,
      size: raw.length,
      envelopeFrom: req.envelopeFrom,
      dsnRet: req.dsn?.ret ?? null,
      dsnEnvid: req.dsn?.envid ?? null,
      notBefore,
      // The lifetime counts from when sending was meant to start, not from a scheduled send's creation.
      expiresAt: new Date(notBefore.getTime() + this.config.delivery.queueLifetimeMs),
      held: req.held ?? false,
      sentMessageId: req.sentMessageId ?? null,
      recipients: req.recipients.map((r) => ({
        address: r.address,
        domain: r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase(),
        dsnNotify: r.notify?.length ? r.notify.join(',').toUpperCase() : null,
        dsnOrcpt: r.orcpt ?? null,
        forwardedFor: r.forwardedFor ?? null,
      })),
    });
  }

  /**
   * For the MX: alias forwards to external addresses, queued in the transaction that stores the
   * message's local copies (250 after its COMMIT). The original envelope sender is kept, so a
   * failure is reported to whoever sent the mail (no SRS yet). The entry belongs to no account.
   */
  enqueueForwards(tx: PoolClient, req: Omit<EnqueueRequest, 'accountId' | 'held' | 'notBefore'>): Promise<string> {
    return this.enqueue(tx, { ...req, accountId: NO_ACCOUNT });
  }

  /**
   * Holds the entry's waiting recipients (those being delivered right now finish). Here and in
   * release, retryNow and delete, `recordWithin` (the admin audit entry) runs in the change's
   * transaction, so both commit or neither.
   */
  async hold(id: string, actor: QueueActor = {}, recordWithin?: RecordWithin): Promise<number> {
    const scope = await this.scopeOf(id, actor);
    return this.changeWithin((tx) => this.repo.hold(scope, tx), recordWithin);
  }

  async release(id: string, actor: QueueActor = {}, recordWithin?: RecordWithin): Promise<number> {
    const scope = await this.scopeOf(id, actor);
    return this.changeWithin((tx) => this.repo.release(scope, tx), recordWithin);
  }

  /** Makes waiting recipients due now (and ends a scheduled wait). Held ones stay held. */
  async retryNow(id: string, actor: QueueActor = {}, recordWithin?: RecordWithin): Promise<number> {
    const scope = await this.scopeOf(id, actor);
    return this.changeWithin((tx) => this.repo.retryNow(scope, tx), recordWithin);
  }

  /** Without `recordWithin` a change needs no transaction of its own (each is atomic, or idempotent). */
  private changeWithin(change: (tx: Pick<PoolClient, 'query'>) => Promise<number>, recordWithin?: RecordWithin): Promise<number> {
    if (!recordWithin) return change(this.pool);
    return withTransaction(this.pool, async (tx) => {
      const changed = await change(tx);
      await recordWithin(tx);
      return changed;
    });
  }

  /**
   * Undo send / cancel a scheduled send: cancels every recipient only if none has been tried or is
   * being tried (409 otherwise; 404 when already cancelled). The entry stays, 'cancelled', for the
   * sender's delivery status until purged with finished ones. The Sent copy is the caller's business.
   */
  async cancel(id: string, actor: QueueActor = {}): Promise<void> {
    const scope = await this.scopeOf(id, actor);
    const result = await withTransaction(this.pool, (tx) => this.repo.cancel(tx, scope));
    if (result === 'missing') throw AppError.notFound('queue entry not found');
    if (result === 'busy') throw new AppError(ErrorCode.Conflict, 'delivery has already started');
  }

  /** Deletes the entry whatever its recipients' states, unless a worker is delivering it right now (409). */
  async delete(id: string, actor: QueueActor = {}, recordWithin?: RecordWithin): Promise<void> {
    const scope = await this.scopeOf(id, actor);
    const result = await withTransaction(this.pool, async (tx) => {
      const r = await this.repo.delete(tx, scope, false);
      if (typeof r === 'object') {
        await this.blobs.delete(tx, r.blob.accountId, r.blob.id);
        // Only a delete that happened is recorded: busy and missing commit nothing and answer 409/404.
        await recordWithin?.(tx);
      }
      return r;
    });
    if (result === 'missing') throw AppError.notFound('queue entry not found');
    if (result === 'busy') throw new AppError(ErrorCode.Conflict, 'a worker is delivering this entry right now; try again');
  }

  private async scopeOf(rawId: string, actor: QueueActor): Promise<QueueScope> {
    const id = parseId(rawId);
    const accountId = id === undefined ? undefined : await this.repo.accountOf(id.toString(), actor.accountId);
    if (id === undefined || accountId === undefined) throw AppError.notFound('queue entry not found');
    return { messageId: id.toString(), accountId };
  }
}
