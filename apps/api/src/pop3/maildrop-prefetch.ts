import { PREFETCH_LIMITS, PrefetchBudget, type PrefetchLimits } from './prefetch-limits.js';
import { ReadAheadRing, type RingRegion } from './read-ahead-ring.js';

/** What the prefetcher needs of a maildrop message (pop3-session's MaildropMessage). */
export interface PrefetchableMessage {
  id: string;
  uid: number;
  size: number;
  isDeleted: boolean;
}

/** One message to read ahead: where its bytes go in the session's ring. */
export interface ReadAheadRequest {
  id: string;
  offset: number;
  capacity: number;
}

/**
 * Reads the raw bytes of the requested messages into `into` at their offsets; resolves to
 * id -> length for the messages that exist (a length over the capacity: not written). A missing id
 * is a message gone.
 */
export type FetchInto = (requests: ReadAheadRequest[], into: SharedArrayBuffer) => Promise<Map<string, number>>;

/** A message's bytes for one RETR/TOP; release() once the socket has taken them. */
export interface RawLease {
  raw: Buffer;
  release(): void;
  /**
   * `head` + the bytes + `tail` as one Buffer, written around the bytes in place (read-ahead
   * copies have room for it), so a response goes out as one write; undefined if they do not fit.
   */
  frame?(head: string, tail: Buffer): Buffer | undefined;
}

/** Room kept before and after each message in the ring: "+OK <n> octets\r\n" and "\r\n.\r\n". */
const FRAME_HEAD = 32;
const FRAME_TAIL = 5;
const slotSize = (size: number) => FRAME_HEAD + size + FRAME_TAIL;

interface Entry {
  region: RingRegion;
  length: number;
  /** When the query that read it was sent. */
  at: number;
  /** Leases not yet released: the region is not reused while any is out. */
  pins: number;
  isHeld: boolean;
}

interface InFlight {
  indexes: Set<number>;
  done: Promise<void>;
}

const NOTHING_TO_RELEASE = () => {};

/**
 * Reads a POP3 maildrop ahead of the client. A client such as poplib sends RETR 1, waits for all
 * of it, sends RETR 2, ...: one database round trip per message is then most of the download time.
 * After RETR/TOP n, the messages following n (not marked deleted) are read in batches, one query for
 * many blobs, so RETR n+1, n+2, ... are usually answered from memory.
 *
 * - Memory: a ring (read-ahead-ring.ts) of at most `maxBytesAhead`, made on first use; the batches
 *   are written into it by a worker thread, so the main thread allocates nothing per message. A
 *   message is served as a view of the ring (a lease); its region is reused only after the lease is
 *   released, i.e. after the socket took the bytes.
 * - Window: at most `maxMessagesAhead` messages and `maxBytesAhead` bytes after n are held or being
 *   read; what falls behind the client is dropped. A message larger than the byte window is never
 *   read ahead (RETR reads it directly, as without prefetch).
 * - A RETR of a message neither held nor being read (a jump) is read directly by the caller, then
 *   the window moves there.
 * - invalidate(): a message deleted meanwhile (the webmail, IMAP) is dropped and never stored from a
 *   query already under way, so its RETR goes to the database and gets -ERR as before.
 * - A failed read is forgotten: the RETR reads directly and reports the failure itself.
 */
export class MaildropPrefetcher {
  private readonly held = new Map<number, Entry>();
  private readonly gone = new Set<string>();
  private inFlight: InFlight | undefined;
  private ring: ReadAheadRing | undefined;
  /** Bytes of the held entries (the window's byte count, kept as entries come and go). */
  private heldBytes = 0;
  /** Whether `held`'s insertion order is ascending (then aim() stops at the first entry it keeps). */
  private isHeldSorted = true;
  private lastHeld = -1;
  /** Where fill() looks for messages to read next: after what was read or is being read. */
  private scanFrom = 0;
  /** The index after the last message the client asked for: the window starts here. */
  private position = 0;
  private isClosed = false;
  /** Counters (tests, logs): batch queries sent; reads served from memory, after waiting for a batch, directly. */
  readonly stats = { queries: 0, hits: 0, waits: 0, direct: 0 };

  constructor(
    private readonly messages: readonly PrefetchableMessage[],
    private readonly fetchInto: FetchInto,
    private readonly limits: PrefetchLimits = PREFETCH_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly budget: PrefetchBudget = new PrefetchBudget(Number.MAX_SAFE_INTEGER),
  ) {}

  /**
   * The raw bytes of message `index` (0-based): from memory when read ahead (waiting for the query
   * under way if it holds it), else from `direct()`. Then the window moves to the messages after it.
   * `consume` (RETR) drops the held copy; TOP keeps it for the RETR that often follows.
   */
  async get(index: number, consume: boolean, direct: () => Promise<Buffer>): Promise<RawLease> {
    if (!this.held.has(index) && this.inFlight?.indexes.has(index)) {
      this.stats.waits++;
      await this.inFlight.done;
    }
    const lease = this.takeHeld(index, consume);
    if (lease) return lease;
    // Not held, too old or deleted meanwhile: read directly.
    this.drop(index);
    this.stats.direct++;
    // Sent before the next batch is planned (on the pool; batches go through the read-ahead worker).
    const raw = direct();
    this.aim(index + 1);
    return { raw: await raw, release: NOTHING_TO_RELEASE };
  }

  /**
   * get() without waiting: the lease of message `index` if it is held now and still valid, else
   * undefined (then call get()). RETR answers from here in the same turn of the event loop that
   * read the command, without a promise.
   */
  takeHeld(index: number, consume: boolean): RawLease | undefined {
    const entry = this.held.get(index);
    if (!entry || !this.ring || this.now() - entry.at > this.limits.maxAgeMs || this.gone.has(this.messages[index]!.id)) return undefined;
    this.stats.hits++;
    entry.pins++;
    const { memory } = this.ring;
    const at = entry.region.offset + FRAME_HEAD;
    const length = entry.length;
    const lease: RawLease = {
      raw: Buffer.from(memory, at, length),
      release: () => this.unpin(entry),
      frame(head, tail) {
        if (head.length > FRAME_HEAD || tail.length > FRAME_TAIL) return undefined;
        const framed = Buffer.from(memory, at - head.length, head.length + length + tail.length);
        framed.write(head, 0, 'latin1');
        // A few bytes: set one by one (a copy into shared memory takes V8's slower relaxed path).
        for (let k = 0; k < tail.length; k++) framed[head.length + length + k] = tail[k]!;
        return framed;
      },
    };
    if (consume) this.drop(index);
    this.aim(index + 1);
    return lease;
  }

  /**
   * Starts reading at the first message, before any RETR (at login): the first batch is under way
   * while the client sends LIST/UIDL, so RETR 1 rarely waits. A session that downloads nothing
   * costs one small batch.
   */
  start(): void {
    if (this.position === 0 && this.held.size === 0) this.aim(0);
  }

  /** Messages deleted by someone else: never served from memory again. */
  invalidate(ids: Iterable<string>): void {
    for (const id of ids) this.gone.add(id);
    for (const i of [...this.held.keys()]) if (this.gone.has(this.messages[i]!.id)) this.drop(i);
  }

  /**
   * The session is over: drop everything; a query under way is ignored when it returns. The ring is
   * never used again, so bytes still being written from it stay intact.
   */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const i of [...this.held.keys()]) this.drop(i);
    if (this.ring) this.budget.release(this.ring.capacity);
  }

  /** Held now (tests). */
  get heldCount(): number {
    return this.held.size;
  }

  private hold(index: number, entry: Entry): void {
    if (this.held.size === 0) {
      this.isHeldSorted = true;
      this.lastHeld = -1;
    }
    if (index < this.lastHeld) this.isHeldSorted = false;
    this.lastHeld = index;
    this.held.set(index, entry);
    this.heldBytes += entry.length;
  }

  private drop(index: number): void {
    const entry = this.held.get(index);
    if (!entry) return;
    this.held.delete(index);
    this.heldBytes -= entry.length;
    entry.isHeld = false;
    this.free(entry);
  }

  private unpin(entry: Entry): void {
    entry.pins--;
    this.free(entry);
  }

  private free(entry: Entry): void {
    if (entry.isHeld || entry.pins > 0 || entry.region.isReleased) return;
    this.ring?.release(entry.region);
  }

  /**
   * Moves the window to start at `position`. O(1) per RETR when the client reads in order: what
   * falls behind is at the front of `held`, and fill() scans only past what was already read.
   */
  private aim(position: number): void {
    this.position = position;
    // Behind the client: RETR of an earlier message is rare and read directly. (Deleting the entry
    // being visited is safe in a Map iteration; no copy of the keys per RETR.)
    for (const i of this.held.keys()) {
      if (i < position - 1) this.drop(i);
      else if (this.isHeldSorted) break;
    }
    // In order, the next message is held and the scan goes on where it was; after a jump (or when
    // the client caught up) it starts again at the client.
    this.scanFrom = this.held.has(position) ? Math.max(this.scanFrom, position) : position;
    this.fill();
  }

  /**
   * The ring, made on first use: no bigger than the window, the maildrop (or 1.5 windows of its
   * average message: small messages need far less than the byte window, and every page of the
   * ring is faulted in once) or what the budget has left, and big enough for `least` (the next
   * message). Undefined while the budget has no room.
   */
  private ringFor(least: number): ReadAheadRing | undefined {
    if (!this.ring) {
      const { maxBytesAhead, maxMessagesAhead } = this.limits;
      let total = 0;
      let count = 0;
      let largest = 0;
      for (const m of this.messages) {
        if (m.size > maxBytesAhead) continue;
        total += slotSize(m.size);
        count++;
        largest = Math.max(largest, slotSize(m.size));
      }
      const typical = Math.max(largest, Math.ceil((total / Math.max(1, count)) * maxMessagesAhead * 1.5));
      const size = this.budget.reserveUpTo(Math.min(maxBytesAhead, total, typical), least);
      if (size > 0) this.ring = new ReadAheadRing(size);
    }
    return this.ring;
  }

  /** Sends the next batch if none is under way and the window has room. */
  private fill(): void {
    if (this.isClosed || this.inFlight) return;
    const { maxMessagesAhead, maxBytesAhead, batchBytes } = this.limits;
    // With nothing held the client is (or soon will be) waiting: a small batch answers sooner.
    const batchMessages = this.held.size === 0 ? Math.min(this.limits.firstBatchMessages, this.limits.batchMessages) : this.limits.batchMessages;
    // Everything held counts (at most the message before the client besides what is ahead of it).
    let aheadCount = this.held.size;
    let aheadBytes = this.heldBytes;
    const batch: number[] = [];
    let batchSize = 0;
    const end = Math.min(this.messages.length, this.position + maxMessagesAhead);
    for (let i = Math.max(this.scanFrom, this.position); i < end && batch.length < batchMessages; i++) {
      const m = this.messages[i]!;
      if (this.held.has(i) || m.isDeleted || this.gone.has(m.id) || m.size > maxBytesAhead || m.size === 0) continue;
      if (aheadCount + 1 > maxMessagesAhead || aheadBytes + m.size > maxBytesAhead) break;
      if (batch.length > 0 && batchSize + m.size > batchBytes) break;
      batch.push(i);
      batchSize += m.size;
      aheadCount++;
      aheadBytes += m.size;
    }
    if (batch.length === 0) return;
    // Full batches only while the client is not waiting for one: a batch sent for every message the
    // client takes would be one query per RETR again. A short batch goes when the window is empty
    // (the client would wait) or the maildrop ends within the window.
    const windowHasMore = end < this.messages.length || batch[batch.length - 1]! < end - 1;
    const isFull = batch.length >= batchMessages || batchSize * 2 > batchBytes;
    if (!isFull && windowHasMore && aheadCount - batch.length > 0) return;
    // A place in the ring for each; what does not fit now waits for the next fill.
    const ring = this.ringFor(slotSize(this.messages[batch[0]!]!.size));
    if (!ring) return;
    const placed: { index: number; region: RingRegion }[] = [];
    for (const index of batch) {
      const region = ring.alloc(slotSize(this.messages[index]!.size));
      if (!region) break;
      placed.push({ index, region });
    }
    if (placed.length === 0) return;
    this.scanFrom = placed[placed.length - 1]!.index + 1;
    this.send(ring, placed);
  }

  private send(ring: ReadAheadRing, placed: { index: number; region: RingRegion }[]): void {
    this.stats.queries++;
    const at = this.now();
    const requests = placed.map(({ index, region }) => ({
      id: this.messages[index]!.id,
      offset: region.offset + FRAME_HEAD,
      capacity: region.capacity - FRAME_HEAD - FRAME_TAIL,
    }));
    const unused = (region: RingRegion) => ring.release(region);
    const done = this.fetchInto(requests, ring.memory).then(
      (found) => {
        for (const { index, region } of placed) {
          const m = this.messages[index]!;
          const length = found.get(m.id);
          // Gone, too big for its place, behind the client already, or the session is over: not kept.
          const keep = length !== undefined && length <= region.capacity - FRAME_HEAD - FRAME_TAIL && !this.isClosed && !this.gone.has(m.id) && index >= this.position - 1;
          if (keep) this.hold(index, { region, length, at, pins: 0, isHeld: true });
          else unused(region);
        }
      },
      () => {
        // Forgotten: the RETR reads directly and answers the failure itself; the next fill tries
        // the messages still ahead of the client again.
        for (const { region } of placed) unused(region);
        this.scanFrom = Math.min(this.scanFrom, Math.max(placed[0]!.index, this.position));
      },
    );
    this.inFlight = { indexes: new Set(placed.map((p) => p.index)), done };
    void done.then(() => {
      this.inFlight = undefined;
      this.fill();
    });
  }
}
