import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from '@correio/db';
import { summarizeMessage } from '@correio/mime';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { DirectoryService } from '../directory/directory.service.js';
import { MailboxStoreService } from '../mailbox-store/mailbox-store.service.js';
import type { StoredCopy } from '../mailbox-store/mailbox-store.types.js';
import { type DsnInput, composeDsn } from './dsn-composer.js';
import { OutboundQueueService } from './outbound-queue.service.js';

/** Where a notice to an envelope sender goes, looked up before the recording transaction. */
export type NoticeTarget =
  | { kind: 'local'; address: string; accountIds: string[]; forwards: string[] }
  | { kind: 'remote'; address: string }
  | { kind: 'nobody' };

/**
 * Delivery status notifications (RFC 3464) to the envelope sender: stored in the sender's INBOX
 * when the sender is local (like MX ingress does), queued from <> otherwise. issueWithin() runs in
 * the worker's transaction that marks the recipients bounced (or warned), so a crash either loses
 * both or commits both: exactly one notice per event.
 */
@Injectable()
export class DsnService {
  private readonly logger = new Logger('delivery-dsn');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly store: MailboxStoreService,
    private readonly queue: OutboundQueueService,
  ) {}

  /** Resolves the sender. Never for <> (RFC 5321 §4.5.5: no notice about a notice). */
  async targetOf(envelopeFrom: string): Promise<NoticeTarget> {
    if (!envelopeFrom) return { kind: 'nobody' };
    const r = await this.directory.resolveRecipient(envelopeFrom);
    if (r.kind === 'remote') return { kind: 'remote', address: envelopeFrom };
    if (r.kind === 'unknown') return { kind: 'nobody' };
    return { kind: 'local', address: envelopeFrom, accountIds: r.accountIds, forwards: r.forwards };
  }

  /**
   * Builds the notice and stores or queues it in `tx`. A failure to store it (the sender's mailbox
   * over quota) is rolled back to a savepoint and logged, so the attempts are still recorded and
   * the worker does not retry a delivery that already happened; that notice is lost, never doubled.
   * Returns the stored copies, to publish after COMMIT.
   */
  async issueWithin(tx: PoolClient, target: NoticeTarget, queueAccountId: string, input: Omit<DsnInput, 'to' | 'reportingMta'>): Promise<StoredCopy[]> {
    if (target.kind === 'nobody' || input.recipients.length === 0) return [];
    const to = target.address;
    const raw = await composeDsn({ ...input, to, reportingMta: this.config.hostname });
    await tx.query('SAVEPOINT dsn');
    try {
      let copies: StoredCopy[] = [];
      if (target.kind === 'local') {
        if (target.accountIds.length) {
          copies = await this.store.deliverWithin(tx, {
            raw,
            summary: await summarizeMessage(raw),
            envelopeFrom: '',
            targets: target.accountIds.map((accountId) => ({ accountId, mailbox: { specialUse: 'inbox' as const }, incoming: true })),
          });
        }
        if (target.forwards.length) await this.queue.enqueue(tx, { accountId: queueAccountId, raw, envelopeFrom: '', recipients: target.forwards.map((address) => ({ address })) });
      } else {
        await this.queue.enqueue(tx, { accountId: queueAccountId, raw, envelopeFrom: '', recipients: [{ address: target.address }] });
      }
      await tx.query('RELEASE SAVEPOINT dsn');
      return copies;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT dsn');
      this.logger.warn(`delivery status notification to ${to} not stored: ${(err as Error).message}`);
      return [];
    }
  }

  publish(copies: StoredCopy[]): void {
    if (copies.length) this.store.publishDelivered(copies);
  }
}
