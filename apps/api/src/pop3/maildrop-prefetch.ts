/** What the prefetcher needs of a maildrop message (pop3-session's MaildropMessage). */
export interface PrefetchableMessage {
  id: string;
  uid: number;
  size: number;
  isDeleted: boolean;
}

export interface PrefetchLimits {
  /** Messages held or being read ahead of the client, at most. */
  maxMessagesAhead: number;
  /** Bytes held or being read ahead of the client, at most (a larger message is never read ahead). */
  maxBytesAhead: number;
  /** Messages per query. */
  batchMessages: number;
  /** Bytes per query (at least one message). */
  batchBytes: number;
  /**
   * Bytes read longer ago than this are read again. The in-process change bus drops a message the
   * webmail deleted at once; this bounds how stale a copy can be when the deletion happened in
   * another process (CORREIO_WORKERS, separate roles), whose changes do not reach this bus.
   */
  maxAgeMs: number;
  /** Bytes held or being read by all sessions of a server together (PrefetchBudget). */
  maxBytesAllSessions: number;
}

/**
 * Bounded: a session never holds more than 64 messages / 4 MiB read ahead (plus the one being sent),
 * however large its maildrop, and all sessions of a server together at most 128 MiB. One query in flight per session, so a download does not starve the
 * others (PGlite has one pooled connection for everybody).
 */
export const PREFETCH_LIMITS: PrefetchLimits = {
  maxMessagesAhead: 64,
  maxBytesAhead: 4 * 1024 * 1024,
  batchMessages: 32,
  batchBytes: 1024 * 1024,
  maxAgeMs: 5000,
  maxBytesAllSessions: 128 * 1024 * 1024,
};

/**
 * Bytes read ahead by all sessions of a server together: each session's window is bounded, and so
 * is their sum (2,000 connections x 4 MiB would be 8 GB). A session whose next batch does not fit
 * waits for room and its client meanwhile gets the direct reads, as without read-ahead.
 */
export class PrefetchBudget {
  used = 0;
  constructor(readonly maxBytes: number = 128 * 1024 * 1024) {}

  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

/** Reads the raw bytes of the given message ids; a missing id is a message gone. */
export type FetchMany = (ids: string[]) => Promise<Map<string, Buffer>>;

interface Entry {
  raw: Buffer;
  /** Taken from the budget for it (the size in the snapshot). */
  reserved: number;
  /** When the query that read it was sent. */
  at: number;
}

interface InFlight {
  indexes: Set<number>;
  done: Promise<void>;
}

/**
 * Reads a POP3 maildrop ahead of the client. A client such as poplib sends RETR 1, waits for all
 * of it, sends RETR 2, ...: one database round trip per message is then most of the download time.
 * After RETR/TOP n, the messages following n (not marked deleted) are read in batches, one query for
 * many blobs, so RETR n+1, n+2, ... are usually answered from memory.
 *
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
  /** The index after the last message the client asked for: the window starts here. */
  private position = 0;
  private isClosed = false;
  /** Counters (tests, logs): batch queries sent; reads served from memory, after waiting for a batch, directly. */
  readonly stats = { queries: 0, hits: 0, waits: 0, direct: 0 };

  constructor(
    private readonly messages: readonly PrefetchableMessage[],
    private readonly fetchMany: FetchMany,
    private readonly limits: PrefetchLimits = PREFETCH_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly budget: PrefetchBudget = new PrefetchBudget(Number.MAX_SAFE_INTEGER),
  ) {}

  /**
   * The raw bytes of message `index` (0-based): from memory when read ahead (waiting for the query
   * under way if it holds it), else from `direct()`. Then the window moves to the messages after it.
   * `consume` (RETR) drops the held copy; TOP keeps it for the RETR that often follows.
   */
  async get(index: number, consume: boolean, direct: () => Promise<Buffer>): Promise<Buffer> {
    if (!this.held.has(index) && this.inFlight?.indexes.has(index)) {
      this.stats.waits++;
      await this.inFlight.done;
    }
    const entry = this.held.get(index);
    if (entry && this.now() - entry.at <= this.limits.maxAgeMs && !this.gone.has(this.messages[index]!.id)) {
      this.stats.hits++;
      if (consume) this.drop(index);
      this.aim(index + 1);
      return entry.raw;
    }
    if (entry) this.drop(index);
    this.stats.direct++;
    // Sent before the next batch: with one pooled connection, the client waits for this one only.
    const raw = direct();
    this.aim(index + 1);
    return raw;
  }

  /** Messages deleted by someone else: never served from memory again. */
  invalidate(ids: Iterable<string>): void {
    for (const id of ids) this.gone.add(id);
    for (const i of [...this.held.keys()]) if (this.gone.has(this.messages[i]!.id)) this.drop(i);
  }

  /** The session is over: drop everything; a query under way is ignored when it returns. */
  close(): void {
    this.isClosed = true;
    for (const i of [...this.held.keys()]) this.drop(i);
  }

  /** Held now (tests). */
  get heldCount(): number {
    return this.held.size;
  }

  private drop(index: number): void {
    const entry = this.held.get(index);
    if (!entry) return;
    this.held.delete(index);
    this.budget.release(entry.reserved);
  }

  private aim(position: number): void {
    this.position = position;
    // Behind the client: RETR of an earlier message is rare and read directly.
    for (const i of this.held.keys()) if (i < position - 1) this.drop(i);
    this.fill();
  }

  /** Sends the next batch if none is under way and the window has room. */
  private fill(): void {
    if (this.isClosed || this.inFlight) return;
    const { maxMessagesAhead, maxBytesAhead, batchMessages, batchBytes } = this.limits;
    let aheadCount = 0;
    let aheadBytes = 0;
    const batch: number[] = [];
    let batchSize = 0;
    const end = Math.min(this.messages.length, this.position + maxMessagesAhead);
    for (let i = this.position; i < end && batch.length < batchMessages; i++) {
      const m = this.messages[i]!;
      if (this.held.has(i)) {
        aheadCount++;
        aheadBytes += this.held.get(i)!.raw.length;
        continue;
      }
      if (m.isDeleted || this.gone.has(m.id) || m.size > maxBytesAhead) continue;
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
    if (!this.budget.tryReserve(batchSize)) return;
    this.stats.queries++;
    const at = this.now();
    const ids = batch.map((i) => this.messages[i]!.id);
    const done = this.fetchMany(ids).then(
      (found) => {
        for (const i of batch) {
          const m = this.messages[i]!;
          const raw = found.get(m.id);
          // Gone meanwhile, behind the client already, or the session is over: not kept.
          if (raw && !this.isClosed && !this.gone.has(m.id) && i >= this.position - 1) this.held.set(i, { raw, at, reserved: m.size });
          else this.budget.release(m.size);
        }
      },
      () => {
        // Forgotten: the RETR reads directly and answers the failure itself.
        this.budget.release(batchSize);
      },
    );
    this.inFlight = { indexes: new Set(batch), done };
    void done.then(() => {
      this.inFlight = undefined;
      this.fill();
    });
  }
}
