import { Inject, Injectable } from '@nestjs/common';
import { type Pool, type PoolClient, withTransaction } from '@correio/db';
import { AppError, ErrorCode } from '../common/app-error.js';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../database/database.module.js';
import { UsageRepository } from '../directory/repositories/usage.repository.js';
import { BLOB_STORE } from './blob-store.token.js';
import type { BlobStore } from './blob-store.js';
import { ImapBlobReaper } from './imap-blob-reaper.js';
import { flagsOf, parseFlags } from './imap-flags.js';
import type { CopyResult, ImapMessageFlags, StoreFlagsRequest, StoreFlagsResult } from './imap-store.types.js';
import type { MailboxChange } from './mailbox-store.types.js';
import { type ImapRow, ImapRowWritesRepository } from './repositories/imap-row-writes.repository.js';
import { expungeStatement, storeFlagsStatement } from './repositories/imap-write-statements.js';
import { MailboxRepository } from './repositories/mailbox.repository.js';
import { compareIds } from './store-ids.js';

const byUid = (a: ImapRow, b: ImapRow) => a.uid - b.uid;

/**
 * The IMAP writes to messages (STORE, COPY, MOVE, EXPUNGE, and the moves of DELETE/RENAME), each one
 * transaction, returning the changes for the caller to publish after COMMIT (invariant 6).
 * LOCK ORDER as in mailbox-store.service.ts: message rows (FOR UPDATE, ascending id), then the
 * account row (usage), then mailbox rows (UID/modseq allocation) by ascending id.
 */
@Injectable()
export class ImapMessageWrites {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    private readonly messages: ImapRowWritesRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly usage: UsageRepository,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
    private readonly reaper: ImapBlobReaper,
  ) {}

  /**
   * RFC 9051 §6.4.6 STORE, with RFC 7162 §3.1.3 UNCHANGEDSINCE. One new modseq for the messages it
   * changes. One statement, committed on its own (repositories/imap-write-statements.ts): one round
   * trip instead of BEGIN, lock, allocate, update, COMMIT.
   */
  async storeFlags(req: StoreFlagsRequest): Promise<{ result: StoreFlagsResult; change?: MailboxChange }> {
    const wanted = parseFlags(req.flags);
    const rows = await storeFlagsStatement(this.pool, this.features, { ...req, system: wanted.system, keywords: wanted.keywords });
    const result: StoreFlagsResult = { changed: [], unchanged: [], modified: [] };
    let modseq: string | undefined;
    for (const row of rows) {
      if (row.modified) result.modified.push(row.uid);
      else if (!row.changed) result.unchanged.push({ uid: row.uid, modseq: BigInt(row.modseq), flags: flagsOf(row) });
      else {
        if (row.newModseq === null) throw new Error(`mailbox ${req.mailboxId} of account ${req.accountId} vanished`);
        modseq = row.newModseq;
        result.changed.push({ uid: row.uid, modseq: BigInt(row.newModseq), flags: flagsOf(row) } satisfies ImapMessageFlags);
      }
    }
    if (modseq === undefined) return { result };
    const change: MailboxChange = {
      accountId: req.accountId,
      mailboxId: req.mailboxId,
      kind: 'flags',
      uids: result.changed.map((u) => u.uid),
      modseq,
    };
    return { result, change };
  }

  /**
   * COPY (RFC 9051 §6.4.7): new rows sharing the blob (and its search text and structure), flags
   * kept, new UIDs in source UID order (RFC 4315 COPYUID). Each copy counts against the quota as a
   * delivered copy does (OVERQUOTA, nothing copied).
   */
  copy(accountId: string, fromId: string, uids: number[], toId: string): Promise<{ result: CopyResult; changes: MailboxChange[] }> {
    return withTransaction(this.pool, async (tx) => {
      const rows = (await this.messages.lockByUids(tx, accountId, fromId, uids)).sort(byUid);
      const target = await this.mailboxes.find(accountId, toId, tx);
      if (!target) throw AppError.notFound('mailbox not found');
      const result: CopyResult = { uidValidity: target.uidValidity, sourceUids: rows.map((r) => r.uid), destinationUids: [] };
      if (rows.length === 0) return { result, changes: [] };
      if (
        !(await this.messages.chargeUsage(
          tx,
          accountId,
          rows.reduce((n, r) => n + r.size, 0),
        ))
      ) {
        throw new AppError(ErrorCode.OverQuota, 'not enough room in this account for the copies');
      }
      const { firstUid, modseq } = await this.mailboxes.allocate(tx, accountId, toId, rows.length);
      await this.messages.insertCopies(
        tx,
        accountId,
        rows.map((r) => r.id),
        toId,
        firstUid,
        modseq,
      );
      result.destinationUids = rows.map((_, i) => firstUid + i);
      return { result, changes: [{ accountId, mailboxId: toId, kind: 'exists', uids: result.destinationUids, modseq }] };
    });
  }

  /** MOVE (RFC 6851): the rows change mailbox and UID; the source keeps tombstones. One transaction. */
  move(
    accountId: string,
    fromId: string,
    uids: number[] | undefined,
    toId: string,
    tx?: PoolClient,
  ): Promise<{ result: CopyResult; changes: MailboxChange[] }> {
    const run = async (q: PoolClient) => {
      const rows = (await this.messages.lockByUids(q, accountId, fromId, uids)).sort(byUid);
      const target = await this.mailboxes.find(accountId, toId, q);
      if (!target) throw AppError.notFound('mailbox not found');
      const result: CopyResult = { uidValidity: target.uidValidity, sourceUids: rows.map((r) => r.uid), destinationUids: [] };
      if (rows.length === 0) return { result, changes: [] };
      // Mailbox rows in ascending id (LOCK ORDER); a move into the same mailbox allocates once.
      let source: { firstUid: number; modseq: string };
      let dest: { firstUid: number; modseq: string };
      if (fromId === toId) source = dest = await this.mailboxes.allocate(q, accountId, toId, rows.length);
      else if (compareIds(fromId, toId) < 0) {
        source = await this.mailboxes.allocate(q, accountId, fromId, 0);
        dest = await this.mailboxes.allocate(q, accountId, toId, rows.length);
      } else {
        dest = await this.mailboxes.allocate(q, accountId, toId, rows.length);
        source = await this.mailboxes.allocate(q, accountId, fromId, 0);
      }
      await this.messages.addTombstones(q, accountId, fromId, result.sourceUids, source.modseq);
      await this.messages.relocateMany(
        q,
        accountId,
        rows.map((r) => r.id),
        toId,
        dest.firstUid,
        dest.modseq,
      );
      result.destinationUids = rows.map((_, i) => dest.firstUid + i);
      const changes: MailboxChange[] = [
        { accountId, mailboxId: fromId, kind: 'expunge', uids: result.sourceUids, modseq: source.modseq },
        { accountId, mailboxId: toId, kind: 'exists', uids: result.destinationUids, modseq: dest.modseq },
      ];
      return { result, changes };
    };
    return tx ? run(tx) : withTransaction(this.pool, run);
  }

  /**
   * EXPUNGE / UID EXPUNGE (RFC 9051 §6.4.3, RFC 4315 §2.1): only \Deleted messages; tombstones left.
   * ONE autocommitted statement (rows, usage, modseq, tombstones, the released blobs:
   * imap-write-statements.ts); the blobs no row refers to any more are deleted a moment later by
   * the blob reaper, after this commit (imap-blob-reaper.ts). `modseq` is the mailbox's
   * HIGHESTMODSEQ after it (for the tagged OK).
   */
  async expunge(accountId: string, mailboxId: string, uids?: number[]): Promise<{ uids: number[]; modseq: string; change?: MailboxChange }> {
    const done = await expungeStatement(this.pool, this.features, accountId, mailboxId, uids);
    if (done.uids.length === 0 || done.modseq === null) return { uids: [], modseq: done.currentModseq ?? '0' };
    this.reaper.released();
    const modseq = done.modseq;
    return { uids: done.uids, modseq, change: { accountId, mailboxId, kind: 'expunge', uids: done.uids, modseq } };
  }

  /**
   * Removes every message of a mailbox being deleted (RFC 9051 §6.3.9), releasing usage and blobs no
   * other copy uses, in the caller's transaction. Returns the change (all UIDs gone) to publish.
   */
  async emptyMailbox(tx: PoolClient, accountId: string, mailboxId: string): Promise<MailboxChange | undefined> {
    const bytes = (rows: { size: number }[]) => rows.reduce((n, r) => n + r.size, 0);
    const rows = await this.messages.lockAll(tx, accountId, mailboxId);
    await this.usage.release(tx, accountId, bytes(rows));
    // Deliveries and copies that committed before the account row was ours (they charge it first,
    // so none can commit after): locked now, still before the mailbox row (the LOCK ORDER).
    const known = new Set(rows.map((r) => r.id));
    const late = (await this.messages.lockAll(tx, accountId, mailboxId)).filter((r) => !known.has(r.id));
    await this.usage.release(tx, accountId, bytes(late));
    const { modseq } = await this.mailboxes.allocate(tx, accountId, mailboxId, 0);
    // With the mailbox row held nothing more comes in; a MOVE that got here in between is removed too.
    for (const r of late) known.add(r.id);
    const removed = await this.messages.deleteMailboxRows(tx, accountId, mailboxId);
    await this.usage.release(tx, accountId, bytes(removed.filter((r) => !known.has(r.id))));
    if (removed.length === 0) return undefined;
    await this.removeUnreferencedBlobs(tx, accountId, removed);
    return { accountId, mailboxId, kind: 'expunge', uids: removed.map((r) => r.uid).sort((a, b) => a - b), modseq };
  }

  private async removeUnreferencedBlobs(tx: PoolClient, accountId: string, rows: { blobId: string }[]): Promise<void> {
    for (const blobId of await this.messages.unreferencedBlobs(
      tx,
      accountId,
      rows.map((r) => r.blobId),
    )) {
      await this.blobs.delete(tx, accountId, blobId);
    }
  }
}
