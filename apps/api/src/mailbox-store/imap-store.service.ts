import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from '@correio/db';
import { type Envelope, MESSAGE_STRUCTURE_VERSION, type MessageStructure, type SearchKey, type StatusItem } from '@correio/imap-protocol';
import { AppError } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { ImapAppend } from './imap-append.js';
import { flagsOf } from './imap-flags.js';
import { ImapMailboxes } from './imap-mailboxes.js';
import { ImapMessageWrites } from './imap-message-writes.js';
import { ImapStructureKeeper } from './imap-structure-keeper.js';
import type {
  ChangesSince,
  CopyResult,
  FetchBodiesRequest,
  FetchBodyStream,
  FetchLines,
  FetchLinesRequest,
  FetchNeeds,
  ImapMailbox,
  ImapMailboxStatus,
  ImapMessageMeta,
  ImapSnapshot,
  ImapSortFields,
  ImapStore,
  StoreFlagsRequest,
  StoreFlagsResult,
} from './imap-store.types.js';
import type { MailboxChange, SpecialUse } from './mailbox-store.types.js';
import { ImapBlobsRepository } from './repositories/imap-blobs.repository.js';
import { ImapBodiesRepository, readStream } from './repositories/imap-bodies.repository.js';
import { ImapMailboxRepository } from './repositories/imap-mailbox.repository.js';
import { ImapMessageRepository, type MetaRow } from './repositories/imap-message.repository.js';
import { ImapSearchRepository } from './repositories/imap-search.repository.js';
import { isId } from './store-ids.js';

/**
 * The mail store as IMAP sees it (ImapStore, imap-store.types.ts). Every method is scoped by account;
 * every write is one transaction and publishes its changes after COMMIT (invariants 2, 4, 6).
 * The selected state's reads are here; the mailbox commands are ImapMailboxes' (imap-mailboxes.ts),
 * the message writes ImapMessageWrites' (imap-message-writes.ts), APPEND ImapAppend's (imap-append.ts:
 * the store's one delivery path, quota, UID, blob and search text in one statement).
 */
@Injectable()
export class ImapStoreService implements ImapStore {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mailboxes: ImapMailboxes,
    private readonly appends: ImapAppend,
    private readonly boxes: ImapMailboxRepository,
    private readonly messages: ImapMessageRepository,
    private readonly blobs: ImapBlobsRepository,
    private readonly bodies: ImapBodiesRepository,
    private readonly searches: ImapSearchRepository,
    private readonly writes: ImapMessageWrites,
    private readonly structures: ImapStructureKeeper,
    private readonly events: MailEventsService,
  ) {}

  // ---- Mailboxes (RFC 9051 §6.3): imap-mailboxes.ts

  listMailboxes(accountId: string): Promise<ImapMailbox[]> {
    return this.mailboxes.listMailboxes(accountId);
  }

  statusMailboxes(accountId: string, mailboxIds: string[], items: StatusItem[]): Promise<ImapMailboxStatus[]> {
    return this.mailboxes.statusMailboxes(accountId, mailboxIds, items);
  }

  findMailbox(accountId: string, name: string): Promise<ImapMailbox | undefined> {
    return this.mailboxes.findMailbox(accountId, name);
  }

  findAppendTarget(accountId: string, name: string): Promise<Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'> | undefined> {
    return this.mailboxes.findAppendTarget(accountId, name);
  }

  createMailbox(accountId: string, name: string, specialUse?: SpecialUse): Promise<ImapMailbox> {
    return this.mailboxes.createMailbox(accountId, name, specialUse);
  }

  deleteMailbox(accountId: string, name: string): Promise<void> {
    return this.mailboxes.deleteMailbox(accountId, name);
  }

  renameMailbox(accountId: string, from: string, to: string): Promise<void> {
    return this.mailboxes.renameMailbox(accountId, from, to);
  }

  setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void> {
    return this.mailboxes.setSubscribed(accountId, name, subscribed);
  }

  // ---- Selected state

  async snapshot(accountId: string, mailboxId: string): Promise<ImapSnapshot> {
    // One statement reads the mailbox row's counters and its messages, so they agree.
    const s = isId(mailboxId) ? await this.messages.snapshot(accountId, mailboxId) : undefined;
    if (!s) throw AppError.notFound('no such mailbox');
    const uids = s.uids;
    const firstUnseenSeq = s.firstUnseenUid === null ? 0 : lowerBound(uids, s.firstUnseenUid) + 1;
    return { mailbox: s.mailbox, uids, unseenCount: s.unseen, firstUnseenSeq, keywords: s.keywords };
  }

  async fetchMeta(accountId: string, mailboxId: string, uids: number[], needs: FetchNeeds): Promise<ImapMessageMeta[]> {
    if (!isId(mailboxId) || uids.length === 0) return [];
    const rows = await this.messages.fetchMeta(accountId, mailboxId, uids, needs);
    const withStructure = needs.structure || needs.envelope;
    const version = MESSAGE_STRUCTURE_VERSION;
    // First need (or an older shape): computed from the bytes once, in batches, then kept.
    const stale = withStructure
      ? rows.filter((r) => r.version == null || r.version < version || !(needs.structure ? r.structure : r.envelope))
      : [];
    const computed = stale.length > 0 ? await this.structures.compute(accountId, [...new Set(stale.map((r) => r.blobId))]) : undefined;

    const out: ImapMessageMeta[] = [];
    const envelopes = new Map<string, Envelope>();
    const keptWithoutBody = new Set<string>();
    for (const r of rows) {
      const meta: ImapMessageMeta = { uid: r.uid, modseq: BigInt(r.modseq), blobId: r.blobId };
      if (needs.flags) meta.flags = flagsOf(r as Required<MetaRow>);
      if (needs.internalDate) meta.internalDate = r.internalDate;
      if (needs.size) meta.size = r.size;
      if (withStructure) {
        const fresh = computed?.get(r.blobId);
        const structure = fresh ?? (r.structure as MessageStructure | undefined);
        const envelope = fresh?.envelope ?? (needs.structure ? structure?.envelope : (r.envelope as Envelope | undefined));
        // Stale and its blob gone meanwhile: the message was expunged; it is not reported.
        if (!envelope) continue;
        if (needs.structure) meta.structure = structure;
        if (needs.envelope) meta.envelope = envelope;
        if (r.noEnvelopeWire) envelopes.set(r.blobId, envelope);
        if (needs.structure && r.noBodyWire && !fresh && r.version != null && r.version >= version) keptWithoutBody.add(r.blobId);
      }
      out.push(meta);
    }
    // The response text the fast path (fetchLines) serves from, filled in on this first FETCH: the
    // envelope on the message rows, BODY/BODYSTRUCTURE beside structures kept before those columns
    // existed (structures computed just now were kept with theirs). No blob is read for either.
    await this.structures.keepEnvelopes(accountId, envelopes);
    await this.structures.fillBodyForms(accountId, [...keptWithoutBody]);
    return out;
  }

  /** Opens and warms a few database connections for the first sessions (see ImapMessageRepository.warmUp); best effort. */
  async warmUp(): Promise<void> {
    // The pool's real size, not the configured one: over PGlite (embedded, or a PGlite URL) the pool
    // has ONE connection, and holding it here while others wait would stall every query. PGlite has
    // no backends to start anyway; a real server keeps at least one connection free for the rest.
    const size = this.pool.options.max ?? 1;
    if (this.config.database.isPglite || size < 2) return;
    await this.messages.warmUp(Math.min(3, size - 1));
  }

  fetchLines(accountId: string, mailboxId: string, uids: number[], seqs: number[], request: FetchLinesRequest): Promise<FetchLines> {
    if (!isId(mailboxId) || uids.length === 0) return Promise.resolve({ text: '', found: 0, sent: 0, missing: 0 });
    return this.messages.fetchLines(accountId, mailboxId, uids, seqs, request);
  }

  fetchBodies(accountId: string, mailboxId: string, uids: number[], seqs: number[], request: FetchBodiesRequest): Promise<FetchBodyStream> {
    if (!isId(mailboxId) || !isId(accountId) || uids.length === 0) return Promise.resolve(readStream([]));
    return this.bodies.fetchBodies(accountId, mailboxId, uids, seqs, request);
  }

  async readMessages(
    accountId: string,
    blobIds: string[],
    limits: { maxEach?: number; maxTotal?: number } = {},
  ): Promise<Map<string, Buffer>> {
    const maxEach = limits.maxEach ?? 256 * 1024;
    let room = limits.maxTotal ?? 8 * 1024 * 1024;
    const valid = [...new Set(blobIds.filter(isId))];
    if (valid.length === 0) return new Map();
    const chosen: string[] = [];
    for (const b of await this.blobs.blobSizes(accountId, valid)) {
      if (b.size > maxEach || b.size > room) continue;
      chosen.push(b.id);
      room -= b.size;
    }
    return chosen.length > 0 ? this.blobs.readMany(accountId, chosen) : new Map();
  }

  /**
   * Bytes [start, end) of a message, chunk by chunk: each chunk is a substring() of the bytea on the
   * server, so a 50 MiB message never crosses the wire (or sits in memory) whole. A large stored
   * value is compressed, and PostgreSQL decompresses it from its start up to the end of each slice,
   * so without a chunkSize a long range is read in at most ~8 slices (1 to 8 MiB each) rather than
   * many small ones (each slice would decompress everything before it again).
   */
  async *readBytes(accountId: string, blobId: string, start: number, end: number, chunkSize?: number): AsyncIterable<Buffer> {
    if (!isId(blobId)) throw AppError.notFound('message not found');
    const MiB = 1024 * 1024;
    const size = chunkSize ?? Math.min(8 * MiB, Math.max(MiB, Math.ceil((end - start) / 8)));
    for (let at = Math.max(0, start); at < end; ) {
      const chunk = await this.blobs.readSlice(accountId, blobId, at, Math.min(size, end - at));
      if (chunk === undefined) throw AppError.notFound('message not found');
      if (chunk.length === 0) return;
      yield chunk;
      at += chunk.length;
    }
  }

  async mailboxState(
    accountId: string,
    mailboxId: string,
  ): Promise<{ uidNext: number; highestModseq: bigint; exists: number } | undefined> {
    const s = isId(mailboxId) ? await this.boxes.state(accountId, mailboxId) : undefined;
    return s && { uidNext: s.uidNext, highestModseq: BigInt(s.highestModseq), exists: s.exists };
  }

  async changesSince(accountId: string, mailboxId: string, modseq: bigint): Promise<ChangesSince> {
    if (!isId(mailboxId)) return { changed: [], vanished: [] };
    const { changed, vanished } = await this.messages.changesSince(accountId, mailboxId, modseq);
    return { changed: changed.map((r) => ({ uid: r.uid, modseq: BigInt(r.modseq), flags: flagsOf(r) })), vanished };
  }

  async storeFlags(req: StoreFlagsRequest): Promise<StoreFlagsResult> {
    if (!isId(req.mailboxId) || req.uids.length === 0) return { changed: [], unchanged: [], modified: [] };
    const { result, change } = await this.writes.storeFlags(req);
    if (change) this.events.publish(change);
    return result;
  }

  async copyMessages(accountId: string, fromMailboxId: string, uids: number[], toMailboxId: string): Promise<CopyResult> {
    this.checkIds(fromMailboxId, toMailboxId);
    const { result, changes } = await this.writes.copy(accountId, fromMailboxId, uids, toMailboxId);
    this.publishAll(changes);
    return result;
  }

  async moveMessages(accountId: string, fromMailboxId: string, uids: number[], toMailboxId: string): Promise<CopyResult> {
    this.checkIds(fromMailboxId, toMailboxId);
    const { result, changes } = await this.writes.move(accountId, fromMailboxId, uids, toMailboxId);
    this.publishAll(changes);
    return result;
  }

  async expunge(accountId: string, mailboxId: string, uids?: number[]): Promise<{ uids: number[]; modseq: bigint }> {
    this.checkIds(mailboxId);
    const { uids: gone, modseq, change } = await this.writes.expunge(accountId, mailboxId, uids);
    if (change) this.events.publish(change);
    return { uids: gone, modseq: BigInt(modseq) };
  }

  // ---- APPEND: imap-append.ts

  append(accountId: string, mailboxId: string, raw: Buffer, flags: string[], internalDate?: Date): Promise<{ uidValidity: number; uid: number }> {
    return this.appends.append(accountId, mailboxId, raw, flags, internalDate);
  }

  appendMany(
    accountId: string,
    mailboxId: string,
    messages: { raw: Buffer; flags: string[]; internalDate?: Date }[],
    found?: Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'>,
  ): Promise<{ uidValidity: number; uids: number[] }> {
    return this.appends.appendMany(accountId, mailboxId, messages, found);
  }

  async search(accountId: string, mailboxId: string, key: SearchKey, scopeUids?: number[]): Promise<number[]> {
    if (!isId(mailboxId)) throw AppError.notFound('no such mailbox');
    return this.searches.search(accountId, mailboxId, key, scopeUids);
  }

  sortFields(accountId: string, mailboxId: string, uids: number[]): Promise<ImapSortFields[]> {
    if (!isId(mailboxId) || uids.length === 0) return Promise.resolve([]);
    return this.messages.sortFields(accountId, mailboxId, uids);
  }

  quota(accountId: string): Promise<{ usedBytes: number; limitBytes: number; messages: number }> {
    return this.messages.quota(accountId);
  }

  private checkIds(...ids: string[]): void {
    if (!ids.every(isId)) throw AppError.notFound('no such mailbox');
  }

  private publishAll(changes: MailboxChange[]): void {
    for (const c of changes) this.events.publish(c);
  }
}

/** Index of the first element >= value in an ascending array. */
function lowerBound(a: Uint32Array, value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
