import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { summarizeMessage } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { parseFlags } from './imap-flags.js';
import type { ImapMailbox } from './imap-store.types.js';
import type { DeliveryRequest } from './mailbox-store.types.js';
import { MailboxDelivery } from './mailbox-delivery.js';
import { ImapMailboxRepository } from './repositories/imap-mailbox.repository.js';
import { ImapRowWritesRepository } from './repositories/imap-row-writes.repository.js';
import { isId } from './store-ids.js';

/**
 * IMAP's APPEND and MULTIAPPEND, through the store's one delivery path (MailboxDelivery: quota, UID,
 * blob, search text in one statement). Behind ImapStoreService.
 */
@Injectable()
export class ImapAppend {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: MailboxDelivery,
    private readonly boxes: ImapMailboxRepository,
    private readonly rows: ImapRowWritesRepository,
  ) {}

  /**
   * APPEND (RFC 9051 §6.3.12) through the delivery path: parsed as delivered mail is (summary and
   * search text), quota checked in the statement (OVERQUOTA), TOOBIG past the message size limit.
   * Flags beyond \Seen and \Draft are set in the same transaction, under the same modseq.
   */
  async append(
    accountId: string,
    mailboxId: string,
    raw: Buffer,
    flags: string[],
    internalDate?: Date,
  ): Promise<{ uidValidity: number; uid: number }> {
    const { uidValidity, uids } = await this.appendMany(accountId, mailboxId, [{ raw, flags, internalDate }]);
    return { uidValidity, uid: uids[0]! };
  }

  /**
   * MULTIAPPEND (RFC 3502): several messages in ONE transaction, all stored or none (§3: a failure
   * of any leaves the mailbox as it was); UIDs ascending in the order given (APPENDUID uid-set).
   */
  async appendMany(
    accountId: string,
    mailboxId: string,
    messages: { raw: Buffer; flags: string[]; internalDate?: Date }[],
    found?: Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'>,
  ): Promise<{ uidValidity: number; uids: number[] }> {
    if (messages.some((m) => m.raw.length > this.config.smtp.maxMessageBytes)) throw new AppError(ErrorCode.TooLarge, 'message too large');
    if (!isId(mailboxId)) throw AppError.notFound('no such mailbox');
    // A UIDVALIDITY the caller already has saves a round trip: a mailbox deleted meanwhile still
    // fails below (the delivery statement finds no mailbox row: NOT FOUND), and a mailbox id's
    // UIDVALIDITY never changes (RENAME keeps it, RFC 9051 §6.3.6).
    const box = found?.id === mailboxId ? found : await this.boxes.findById(accountId, mailboxId);
    if (!box) throw AppError.notFound('no such mailbox');
    const parsed = await Promise.all(messages.map(async (m) => ({ ...m, summary: await summarizeMessage(m.raw), ...parseFlags(m.flags) })));
    const only = parsed.length === 1 ? parsed[0]! : undefined;
    if (
      box.name === 'INBOX' &&
      only &&
      !only.system.has('answered') &&
      !only.system.has('flagged') &&
      !only.system.has('deleted') &&
      only.keywords.length === 0
    ) {
      // One message into INBOX whose flags the delivery statement sets by itself: that statement
      // alone, committed when it returns (deliver() publishes after it) — one round trip, not BEGIN,
      // INSERT, COMMIT. Durable before the OK as every APPEND (DESIGN invariant 1). Only INBOX: it
      // cannot be deleted, and an autocommitted delivery statement whose mailbox vanished between
      // its two steps would keep its usage charge (see the DELETE test in imap-store.int.test.ts).
      const [copy] = await this.store.deliver(appendRequest(accountId, mailboxId, only));
      return { uidValidity: box.uidValidity, uids: [copy!.uid] };
    }
    const copies = await withTransaction(this.pool, async (tx) => {
      const stored = [];
      for (const m of parsed) {
        const [copy] = await this.store.deliverWithin(tx, appendRequest(accountId, mailboxId, m));
        // The flags the delivery statement does not set, under the same modseq (invariant 2).
        if (m.system.has('answered') || m.system.has('flagged') || m.system.has('deleted') || m.keywords.length > 0) {
          const state = {
            seen: m.system.has('seen'),
            answered: m.system.has('answered'),
            flagged: m.system.has('flagged'),
            deleted: m.system.has('deleted'),
            draft: m.system.has('draft'),
            keywords: m.keywords,
          };
          await this.rows.setFlags(tx, accountId, [{ id: copy!.messageId, ...state }], copy!.modseq);
        }
        stored.push(copy!);
      }
      return stored;
    });
    this.store.publishDelivered(copies);
    return { uidValidity: box.uidValidity, uids: copies.map((c) => c.uid) };
  }
}

/** One APPENDed message as a delivery: its \Seen and \Draft set by the delivery statement, its ENVELOPE text kept. */
function appendRequest(
  accountId: string,
  mailboxId: string,
  m: { raw: Buffer; summary: DeliveryRequest['summary']; internalDate?: Date; system: Set<string> },
): DeliveryRequest {
  return {
    raw: m.raw,
    summary: m.summary,
    targets: [{ accountId, mailbox: { id: mailboxId } }],
    envelopeFrom: m.summary.from.address,
    internalDate: m.internalDate,
    flags: { seen: m.system.has('seen'), draft: m.system.has('draft') },
    keepImapEnvelope: true,
  };
}
