import { Inject, Injectable } from '@nestjs/common';
import { type Pool, withTransaction } from '@correio/db';
import { type Envelope, MESSAGE_STRUCTURE_VERSION, type MessageStructure, type SearchKey, type StatusItem } from '@correio/imap-protocol';
import { summarizeMessage } from '@correio/mime';
import { AppError, ErrorCode } from '../common/app-error.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG } from '../config/load-config.js';
import { PG_POOL } from '../database/database.module.js';
import { MailEventsService } from '../events/mail-events.service.js';
import { flagsOf, parseFlags } from './imap-flags.js';
import { ImapMessageWrites } from './imap-message-writes.js';
import { normalizeMailboxName, parentNames } from './imap-names.js';
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
import { MailboxStoreService } from './mailbox-store.service.js';
import type { MailboxChange, SpecialUse } from './mailbox-store.types.js';
import { ImapBodiesRepository, readStream } from './repositories/imap-bodies.repository.js';
import { ImapMailboxRepository } from './repositories/imap-mailbox.repository.js';
import { ImapMessageRepository, type MetaRow } from './repositories/imap-message.repository.js';
import { ImapSearchRepository } from './repositories/imap-search.repository.js';

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const isId = (id: string) => /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
/** STATUS items the mailbox row keeps a count of, and those that need the messages counted (ImapMailboxRepository.status). */
const KEPT_ITEMS: StatusItem[] = ['MESSAGES', 'UNSEEN'];
const SCAN_ITEMS: StatusItem[] = ['DELETED', 'SIZE'];

/**
 * The mail store as IMAP sees it (ImapStore, imap-store.types.ts). Every method is scoped by account;
 * every write is one transaction and publishes its changes after COMMIT (invariants 2, 4, 6).
 * Deliveries and APPEND go through MailboxStoreService's one delivery path (quota, UID, blob, search
 * text in one statement).
 */
/** Accounts whose INBOX a process remembers (~100 bytes each); past it the map starts over. */
const MAX_KNOWN_INBOXES = 100_000;

@Injectable()
export class ImapStoreService implements ImapStore {
  /** INBOX per account, for APPEND (findAppendTarget). */
  private readonly inboxes = new Map<string, Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'>>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: MailboxStoreService,
    private readonly boxes: ImapMailboxRepository,
    private readonly messages: ImapMessageRepository,
    private readonly bodies: ImapBodiesRepository,
    private readonly searches: ImapSearchRepository,
    private readonly writes: ImapMessageWrites,
    private readonly structures: ImapStructureKeeper,
    private readonly events: MailEventsService,
  ) {}

  // ---- Mailboxes (RFC 9051 §6.3)

  listMailboxes(accountId: string): Promise<ImapMailbox[]> {
    return this.boxes.list(accountId);
  }

  async statusMailboxes(accountId: string, mailboxIds: string[], items: StatusItem[]): Promise<ImapMailboxStatus[]> {
    const ids = mailboxIds.filter(isId);
    if (ids.length === 0) return [];
    const counts = items.some((i) => SCAN_ITEMS.includes(i)) ? 'scan' : items.some((i) => KEPT_ITEMS.includes(i)) ? 'kept' : 'none';
    return this.boxes.status(accountId, ids, counts);
  }

  findMailbox(accountId: string, name: string): Promise<ImapMailbox | undefined> {
    return this.boxes.find(accountId, normalizeMailboxName(name, false));
  }

  /**
   * APPEND's target. INBOX's id and UIDVALIDITY never change: it cannot be created, deleted or
   * renamed away (RFC 9051 §6.3.4, §6.3.9, §6.3.10: RENAME INBOX moves its messages and leaves it;
   * createMailbox/deleteMailbox/renameMailbox below refuse or do exactly that), and no code changes a
   * mailbox's uid_validity. So after the first lookup an APPEND to INBOX (most of them: clients
   * saving drafts and sent copies name other mailboxes, but imports and the benchmark use INBOX)
   * skips the lookup's round trip. A removed account's entry is harmless: the delivery statement
   * finds no mailbox row and fails as before.
   */
  async findAppendTarget(accountId: string, name: string): Promise<Pick<ImapMailbox, 'id' | 'name' | 'uidValidity'> | undefined> {
    const wanted = normalizeMailboxName(name, false);
    if (wanted !== 'INBOX') return this.boxes.find(accountId, wanted);
    const known = this.inboxes.get(accountId);
    if (known) return known;
    const found = await this.boxes.find(accountId, 'INBOX');
    if (!found) return undefined;
    if (this.inboxes.size >= MAX_KNOWN_INBOXES) this.inboxes.clear();
    const target = { id: found.id, name: found.name, uidValidity: found.uidValidity };
    this.inboxes.set(accountId, target);
    return target;
  }

  /** RFC 9051 §6.3.4: missing superior names are created too; RFC 6154 §3 CREATE-SPECIAL-USE. */
  async createMailbox(accountId: string, name: string, specialUse?: SpecialUse): Promise<ImapMailbox> {
    const wanted = normalizeMailboxName(name, true);
    if (wanted === 'INBOX') throw new AppError(ErrorCode.Conflict, 'INBOX already exists');
    return withTransaction(this.pool, async (tx) => {
      for (const parent of parentNames(wanted)) await this.boxes.create(tx, accountId, parent, null, true);
      const created = await this.boxes.create(tx, accountId, wanted, specialUse ?? null, true);
      if (!created) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
      return created;
    });
  }

  /** RFC 9051 §6.3.9: the mailbox and its messages go; its children stay. INBOX cannot be deleted. */
  async deleteMailbox(accountId: string, name: string): Promise<void> {
    const wanted = normalizeMailboxName(name, false);
    if (wanted === 'INBOX') throw new AppError(ErrorCode.Forbidden, 'INBOX cannot be deleted');
    const box = await this.boxes.find(accountId, wanted);
    if (!box) throw AppError.notFound('no such mailbox');
    // The store files every sent message and draft by special use (outgoing.service, saveDraft): the
    // last mailbox of each stays, as Gmail's and Outlook's system folders do (it can be renamed).
    if (
      (box.specialUse === 'sent' || box.specialUse === 'drafts') &&
      !(await this.boxes.hasOtherWithSpecialUse(accountId, box.specialUse, box.id))
    ) {
      throw new AppError(
        ErrorCode.Forbidden,
        `${box.name} keeps your ${box.specialUse === 'sent' ? 'sent mail' : 'drafts'}; it cannot be deleted`,
      );
    }
    const change = await withTransaction(this.pool, async (tx) => {
      const gone = await this.writes.emptyMailbox(tx, accountId, box.id);
      await this.boxes.delete(tx, accountId, box.id);
      return gone;
    });
    if (change) this.events.publish(change);
  }

  /**
   * RFC 9051 §6.3.10: the mailbox and every child move to the new name, keeping UIDVALIDITY and
   * UIDs. Renaming INBOX moves its messages into a new mailbox of that name and leaves INBOX, empty.
   */
  async renameMailbox(accountId: string, from: string, to: string): Promise<void> {
    const source = normalizeMailboxName(from, false);
    const target = normalizeMailboxName(to, true);
    if (target === 'INBOX' || target === source) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
    if (target.startsWith(`${source}/`) && source !== 'INBOX')
      throw new AppError(ErrorCode.Forbidden, 'a mailbox cannot be moved into itself');
    const changes = await withTransaction(this.pool, async (tx) => {
      if (source === 'INBOX') {
        const inbox = await this.boxes.find(accountId, 'INBOX', tx);
        if (!inbox) throw AppError.notFound('no such mailbox');
        for (const parent of parentNames(target)) await this.boxes.create(tx, accountId, parent, null, true);
        const created = await this.boxes.create(tx, accountId, target, null, true);
        if (!created) throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
        return (await this.writes.move(accountId, inbox.id, undefined, created.id, tx)).changes;
      }
      const subtree = await this.boxes.lockSubtree(tx, accountId, source);
      if (!subtree.some((b) => b.name === source)) throw AppError.notFound('no such mailbox');
      const renames = subtree.map((b) => ({ id: b.id, name: target + b.name.slice(source.length) }));
      if (
        await this.boxes.anyExists(
          tx,
          accountId,
          renames.map((r) => r.name),
        )
      ) {
        throw new AppError(ErrorCode.Conflict, 'a mailbox with that name already exists');
      }
      for (const parent of parentNames(target)) await this.boxes.create(tx, accountId, parent, null, true);
      await this.boxes.rename(tx, accountId, renames);
      return [];
    });
    for (const c of changes) this.events.publish(c);
  }

  async setSubscribed(accountId: string, name: string, subscribed: boolean): Promise<void> {
    if (!(await this.boxes.setSubscribed(accountId, normalizeMailboxName(name, false), subscribed)))
      throw AppError.notFound('no such mailbox');
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
    for (const b of await this.messages.blobSizes(accountId, valid)) {
      if (b.size > maxEach || b.size > room) continue;
      chosen.push(b.id);
      room -= b.size;
    }
    return chosen.length > 0 ? this.messages.readMany(accountId, chosen) : new Map();
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
      const chunk = await this.messages.readSlice(accountId, blobId, at, Math.min(size, end - at));
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
      const [copy] = await this.store.deliver({
        raw: only.raw,
        summary: only.summary,
        targets: [{ accountId, mailbox: { id: mailboxId } }],
        envelopeFrom: only.summary.from.address,
        internalDate: only.internalDate,
        flags: { seen: only.system.has('seen'), draft: only.system.has('draft') },
        keepImapEnvelope: true,
      });
      return { uidValidity: box.uidValidity, uids: [copy!.uid] };
    }
    const copies = await withTransaction(this.pool, async (tx) => {
      const stored = [];
      for (const m of parsed) {
        const [copy] = await this.store.deliverWithin(tx, {
          raw: m.raw,
          summary: m.summary,
          targets: [{ accountId, mailbox: { id: mailboxId } }],
          envelopeFrom: m.summary.from.address,
          internalDate: m.internalDate,
          flags: { seen: m.system.has('seen'), draft: m.system.has('draft') },
          keepImapEnvelope: true,
        });
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
          await this.messages.setFlags(tx, accountId, [{ id: copy!.messageId, ...state }], copy!.modseq);
        }
        stored.push(copy!);
      }
      return stored;
    });
    this.store.publishDelivered(copies);
    return { uidValidity: box.uidValidity, uids: copies.map((c) => c.uid) };
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
