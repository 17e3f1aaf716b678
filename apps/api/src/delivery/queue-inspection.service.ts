import { Inject, Injectable } from '@nestjs/common';
import type { QueueAttemptList, QueueEntryDetail, QueueEntryList, QueueEntrySummary, QueueListQuery, QueueRecipientView } from '@correio/contracts';
import type { Pool } from '@correio/db';
import { summarizeMessage } from '@correio/mime';
import { AppError } from '../common/app-error.js';
import { parseId } from '../common/zod-validation.js';
import { PG_POOL } from '../database/database.module.js';
import { BLOB_STORE } from '../mailbox-store/blob-store.token.js';
import type { BlobStore } from '../mailbox-store/blob-store.js';
import { type QueueEntryRow, QueueInspectionRepository, type QueueRecipientRow } from './repositories/queue-inspection.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toSummary(e: QueueEntryRow): QueueEntrySummary {
  return {
    id: e.id,
    accountId: e.accountId,
    sender: e.envelopeFrom,
    size: e.size,
    createdAt: e.createdAt.toISOString(),
    notBefore: e.notBefore.toISOString(),
    expiresAt: e.expiresAt.toISOString(),
    recipients: e.recipients,
    states: { queued: e.queued, deferred: e.deferred, delivered: e.delivered, bounced: e.bounced, held: e.held },
    nextAttemptAt: iso(e.nextAttemptAt),
  };
}

function toRecipient(r: QueueRecipientRow): QueueRecipientView {
  const waiting = r.state === 'queued' || r.state === 'deferred';
  return {
    id: r.id,
    address: r.address,
    domain: r.domain,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: waiting ? r.nextAttemptAt.toISOString() : null,
    lastReply: r.lastReply,
    inProgress: r.inProgress,
    notify: r.dsnNotify,
    failureNotifiedAt: iso(r.failureNotifiedAt),
    delayNotifiedAt: iso(r.delayNotifiedAt),
  };
}

/** The header section only: the admin view needs no body parsing. */
function headerSection(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  return end >= 0 ? raw.subarray(0, end + 4) : raw;
}

/** Read-only views of the outbound queue for the admin API (listing, one entry, attempt history). */
@Injectable()
export class QueueInspectionService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly repo: QueueInspectionRepository,
  ) {}

  async list(q: QueueListQuery): Promise<QueueEntryList> {
    const sender = q.sender === '<>' ? '' : q.sender?.replace(/^<(.*)>$/, '$1');
    const rows = await this.repo.list({ state: q.state, domain: q.domain, sender, beforeId: q.cursor, limit: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    return { items: page.map(toSummary), nextCursor: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }

  async get(rawId: string): Promise<QueueEntryDetail> {
    const entry = await this.entry(rawId);
    const [recipients, raw] = [await this.repo.recipients(entry.accountId, entry.id), await this.blobs.get(this.pool, entry.accountId, entry.blobId)];
    const s = raw ? await summarizeMessage(headerSection(raw)) : undefined;
    return {
      ...toSummary(entry),
      dsn: { ret: entry.dsnRet, envid: entry.dsnEnvid },
      headers: {
        from: s?.from.address ?? '',
        to: s?.to.map((a) => a.address) ?? [],
        subject: s?.subject ?? '',
        messageId: s?.messageId ?? null,
        date: iso(s?.sentDate ?? null),
      },
      recipientList: recipients.map(toRecipient),
    };
  }

  async attempts(rawId: string, rawRecipientId: string): Promise<QueueAttemptList> {
    const entry = await this.entry(rawId);
    const rid = parseId(rawRecipientId);
    const [recipient] = rid === undefined ? [] : await this.repo.recipients(entry.accountId, entry.id, rid.toString());
    if (!recipient) throw AppError.notFound('recipient not found');
    const items = await this.repo.attempts(entry.accountId, recipient.id);
    return {
      recipient: toRecipient(recipient),
      items: items.map((a) => ({ at: a.attemptedAt.toISOString(), result: a.result, reply: a.reply, remoteHost: a.remoteHost })),
    };
  }

  private async entry(rawId: string): Promise<QueueEntryRow> {
    const id = parseId(rawId);
    const entry = id === undefined ? undefined : await this.repo.find(id.toString());
    if (!entry) throw AppError.notFound('queue entry not found');
    return entry;
  }
}
