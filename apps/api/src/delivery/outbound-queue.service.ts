import { Inject, Injectable } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import type { BlobStore } from '../mailbox-store/blob-store.js';
import { OutboundQueueRepository } from './repositories/outbound-queue.repository.js';

// Postfix's maximal_queue_lifetime: give up on a recipient after 5 days of temporary failures.
export const QUEUE_LIFETIME_MS = 5 * 24 * 3_600_000;

export interface EnqueueRequest {
  accountId: string;
  raw: Buffer;
  envelopeFrom: string;
  recipients: { address: string; notify?: string[]; orcpt?: string }[];
  dsn?: { ret?: string | null; envid?: string | null };
  /** Hold until then (undo send, scheduled send). */
  notBefore?: Date;
}

/**
 * The outbound queue (DESIGN: "sends mail out through a durable queue"). Entries are written in the
 * caller's transaction, so a message is queued exactly when the submission that produced it commits.
 * The delivery worker (role `delivery`) claims and sends them.
 */
@Injectable()
export class OutboundQueueService {
  constructor(
    private readonly repo: OutboundQueueRepository,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async enqueue(tx: PoolClient, req: EnqueueRequest): Promise<string> {
    // Its own blob row: the queue must keep the bytes even if the user deletes the Sent copy.
    const blob = await this.blobs.put(tx, req.accountId, req.raw);
    const now = new Date();
    return this.repo.insert(tx, {
      accountId: req.accountId,
      blobId: blob.id,
      size: req.raw.length,
      envelopeFrom: req.envelopeFrom,
      dsnRet: req.dsn?.ret ?? null,
      dsnEnvid: req.dsn?.envid ?? null,
      notBefore: req.notBefore ?? now,
      expiresAt: new Date((req.notBefore ?? now).getTime() + QUEUE_LIFETIME_MS),
      recipients: req.recipients.map((r) => ({
        address: r.address,
        domain: r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase(),
        dsnNotify: r.notify?.length ? r.notify.join(',') : null,
        dsnOrcpt: r.orcpt ?? null,
      })),
    });
  }
}
