import type { SequenceSet } from '@correio/imap-protocol';
import type { ImapMailbox, ImapSnapshot, ImapStore } from '../mailbox-store/imap-store.types.js';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';
import type { EnabledExtension, ResponseWriter, SelectedMailboxView } from './command-context.js';
import { formatSet, lowerBound, sortUnique } from './commands/selected/uid-set.js';

const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

/**
 * A NOTIFY can be lost without the bus noticing (a process dying between COMMIT and pg_notify), so a
 * session that has not checked for this long asks the store (one row) at its next flush: a lost
 * change reaches the client within this time of its next command instead of never.
 */
export const RECHECK_MS = 30_000;

/**
 * The selected mailbox as one session sees it: message sequence numbers (n ↔ uids[n-1], RFC 9051
 * §2.3.1.2) and the changes other sessions made that this client has not been told of yet.
 *
 * Changes arrive from the bus (noteChange) at any time but reach the client only through
 * flushUpdates, at the moments the session allows: EXPUNGE never after FETCH/STORE/SEARCH
 * (RFC 9051 §7.5.1) because it would renumber the messages the client is addressing. The session's
 * own changes are reported by its commands; the bus brings them back too, and they are dropped here:
 * expunged UIDs are no longer in the list, appended UIDs are already in it, and flag changes whose
 * modseq this session already reported (noteReported) are skipped.
 */
export class SelectedMailbox implements SelectedMailboxView {
  readonly accountId: string;
  readonly mailboxId: string;
  readonly name: string;
  readonly isReadOnly: boolean;
  readonly uidValidity: number;
  /** Highest modseq this session has seen (snapshot or change), for CONDSTORE. */
  highestModseq: bigint;
  /**
   * Every change up to this modseq has reached this object (snapshot, then bus events, which come in
   * commit order): where a re-check after a lost bus connection starts.
   */
  private syncedModseq: bigint;
  private needsResync = false;
  /** The mailbox no longer exists (another session deleted it): the session says BYE (isDeleted). */
  private deleted = false;
  /** When the store was last asked whether anything was missed (see RECHECK_MS). */
  private checkedAt = Date.now();

  private uids: Uint32Array = new Uint32Array(0);
  private count = 0;
  /** Changes noted before the snapshot was loaded (SELECT in progress): replayed by load(). */
  private early: MailboxChange[] | undefined = [];
  private readonly pendingExists = new Set<number>();
  /** UID → modseq of the expunge (held back after FETCH/STORE/SEARCH). */
  private readonly pendingExpunge = new Map<number, bigint>();
  /** UID → modseq of the change event that named it. */
  private readonly pendingFlags = new Map<number, bigint>();
  /** UID → modseq this session last reported flags at (by FETCH, STORE or an update). */
  private readonly reported = new Map<number, bigint>();
  /** [lo, hi] UID ranges whose flags the client was told as of modseq (noteReportedRange). */
  private readonly reportedRanges: { lo: number; hi: number; modseq: bigint }[] = [];
  /** Modseqs of flag changes this session made itself (one per STORE transaction): their echo is dropped whole. */
  private readonly ownModseqs = new Set<bigint>();
  private readonly enabled: ReadonlySet<EnabledExtension>;
  /** Keywords the client has been told of in FLAGS / PERMANENTFLAGS. */
  private readonly keywords = new Set<string>();

  /**
   * SELECT makes the session selected with this object before reading the snapshot, so a change
   * committed while the snapshot is read is noted (and replayed by load) instead of lost.
   */
  constructor(
    private readonly store: ImapStore,
    mailbox: ImapMailbox,
    options: { accountId: string; isReadOnly: boolean; enabled: ReadonlySet<EnabledExtension> },
  ) {
    this.accountId = options.accountId;
    this.mailboxId = mailbox.id;
    this.name = mailbox.name;
    this.isReadOnly = options.isReadOnly;
    this.uidValidity = mailbox.uidValidity;
    this.highestModseq = mailbox.highestModseq;
    this.syncedModseq = mailbox.highestModseq;
    this.enabled = options.enabled;
  }

  /** Takes the snapshot's UIDs as sequence numbers 1..n and replays the changes noted meanwhile. */
  load(snapshot: ImapSnapshot): void {
    // Our own copy: expunges compact it in place.
    this.uids = snapshot.uids.slice();
    this.count = snapshot.uids.length;
    for (const keyword of snapshot.keywords) this.keywords.add(keyword);
    if (snapshot.mailbox.highestModseq > this.highestModseq) this.highestModseq = snapshot.mailbox.highestModseq;
    if (snapshot.mailbox.highestModseq > this.syncedModseq) this.syncedModseq = snapshot.mailbox.highestModseq;
    const early = this.early ?? [];
    this.early = undefined;
    for (const change of early) this.noteChange(change);
  }

  /** True once a re-check found the mailbox gone (DELETE by another session, RFC 9051 §6.3.9). */
  get isDeleted(): boolean {
    return this.deleted;
  }

  /** Messages the client knows of (its EXISTS). */
  get exists(): number {
    return this.count;
  }

  /** UID of sequence number seq (1-based), or 0. */
  uidAt(seq: number): number {
    return seq >= 1 && seq <= this.count ? (this.uids[seq - 1] as number) : 0;
  }

  /** Sequence number of uid, or 0 when the client does not know it. */
  seqOf(uid: number): number {
    const i = lowerBound(this.uids, uid, this.count);
    return i < this.count && this.uids[i] === uid ? i + 1 : 0;
  }

  /** The highest UID the client knows of (0 when empty). */
  get lastUid(): number {
    return this.count > 0 ? (this.uids[this.count - 1] as number) : 0;
  }

  /**
   * The UIDs (ascending) a sequence set names. Sequence numbers: '*' is the last message; a number
   * past it is an error when strict (RFC 9051 §9 seq-number: BAD), ignored otherwise (SEARCH keys).
   * UIDs: absent ones are ignored; "n:*" always includes the last UID (RFC 9051 §6.4.9).
   * '$' is the saved search (RFC 5182), kept as UIDs.
   */
  resolve(set: SequenceSet, isUid: boolean, saved: number[] | undefined, strict = true): number[] | { error: string } {
    if (set.kind === 'saved') return (saved ?? []).filter((uid) => this.seqOf(uid) > 0);
    // Ranges are cut out of the UID list as typed-array slices (native copies): "1:*" of a big
    // mailbox was a push per message, unoptimized in a fresh process (issue 11's cold sync).
    const out: number[] = [];
    for (const range of set.ranges) {
      if (isUid) {
        const star = this.lastUid;
        const a = range.start === '*' ? star : range.start;
        const b = range.end === '*' ? star : range.end;
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const from = lowerBound(this.uids, lo, this.count);
        const to = hi >= star ? this.count : lowerBound(this.uids, hi + 1, this.count);
        if (set.ranges.length === 1) return Array.from(this.uids.subarray(from, to));
        for (let i = from; i < to; i++) out.push(this.uids[i] as number);
      } else {
        const a = range.start === '*' ? this.count : range.start;
        const b = range.end === '*' ? this.count : range.end;
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        // "1:*" in an empty mailbox names nothing rather than failing: clients send it to sync.
        if (this.count === 0 && (range.start === '*' || range.end === '*')) continue;
        if (strict && (hi > this.count || lo < 1)) return { error: 'Invalid message sequence number' };
        const from = Math.max(lo, 1) - 1;
        const to = Math.max(from, Math.min(hi, this.count));
        if (set.ranges.length === 1) return Array.from(this.uids.subarray(from, to));
        for (let i = from; i < to; i++) out.push(this.uids[i] as number);
      }
    }
    return set.ranges.length > 1 ? sortUnique(out) : out;
  }

  /** "* FLAGS (...)" and "* OK [PERMANENTFLAGS (...)]" (RFC 9051 §7.3.5, §7.1): system flags and the keywords in use. */
  writeFlags(out: ResponseWriter): void {
    const flags = [...SYSTEM_FLAGS, ...this.keywords].join(' ');
    out.untagged(`FLAGS (${flags})`);
    // EXAMINE: nothing can be changed, so no permanent flags (RFC 9051 §6.3.3).
    out.untagged(this.isReadOnly ? 'OK [PERMANENTFLAGS ()] Read-only mailbox' : `OK [PERMANENTFLAGS (${flags} \\*)] Flags permitted`);
  }

  /** A keyword first seen in these flags is announced with new FLAGS/PERMANENTFLAGS before the FETCH that shows it. */
  announceKeywords(flags: readonly string[], out: ResponseWriter): void {
    let isNew = false;
    for (const flag of flags) {
      if (flag.startsWith('\\') || this.keywords.has(flag)) continue;
      this.keywords.add(flag);
      isNew = true;
    }
    if (isNew) this.writeFlags(out);
  }

  /**
   * Remembers that the client was told the flags of every message it lists with a UID in [lo, hi]
   * as of modseq (a FETCH FLAGS of a whole range, FetchLines.flagsAsOf): one entry instead of one
   * per message. Bounded like `reported`; forgetting only risks a redundant FETCH FLAGS.
   */
  noteReportedRange(lo: number, hi: number, modseq: bigint): void {
    if (this.reportedRanges.length >= 64) this.reportedRanges.shift();
    this.reportedRanges.push({ lo, hi, modseq });
  }

  /** The modseq up to which the client knows uid's flags (0n: not known). */
  private reportedModseq(uid: number): bigint {
    let known = this.reported.get(uid) ?? 0n;
    for (const r of this.reportedRanges) if (uid >= r.lo && uid <= r.hi && r.modseq > known) known = r.modseq;
    return known;
  }

  /** Remembers that the client was told uid's flags at modseq, so the bus echo is not reported again. */
  noteReported(uid: number, modseq: bigint): void {
    // Bounded: forgetting only risks one redundant (harmless) FETCH FLAGS.
    if (this.reported.size >= 100_000) this.reported.clear();
    this.reported.set(uid, modseq);
    if (modseq > this.highestModseq) this.highestModseq = modseq;
  }

  /**
   * A flag change this session made and reported (STORE, or \Seen set by FETCH): the store gives one
   * modseq per transaction, so the bus event carrying it is this change and needs no report at all,
   * however many messages it names.
   */
  noteOwnChange(modseq: bigint): void {
    if (this.ownModseqs.size >= 1000) this.ownModseqs.clear();
    this.ownModseqs.add(modseq);
    if (modseq > this.highestModseq) this.highestModseq = modseq;
  }

  /** Queues UIDs this session expunged itself (EXPUNGE, MOVE), written by the next flush. */
  queueExpunged(uids: readonly number[]): void {
    for (const uid of uids) if (this.seqOf(uid) > 0) this.pendingExpunge.set(uid, this.syncedModseq);
  }

  noteChange(change: MailboxChange): void {
    if (change.mailboxId !== this.mailboxId || change.accountId !== this.accountId) return;
    if (this.early) {
      this.early.push(change);
      return;
    }
    const modseq = BigInt(change.modseq);
    if (modseq > this.highestModseq) this.highestModseq = modseq;
    if (modseq > this.syncedModseq) this.syncedModseq = modseq;
    if (change.kind === 'exists') {
      for (const uid of change.uids) if (uid > this.lastUid) this.pendingExists.add(uid);
    } else if (change.kind === 'expunge') {
      for (const uid of change.uids) {
        if (this.seqOf(uid) > 0 && !this.pendingExpunge.has(uid)) this.pendingExpunge.set(uid, modseq);
        this.pendingExists.delete(uid);
      }
      // Every message gone at once is what a DELETE of the mailbox publishes: the next flush asks
      // the store (one row) whether the mailbox itself still exists.
      if (this.pendingExpunge.size >= this.count) this.needsResync = true;
    } else if (!this.ownModseqs.has(modseq)) {
      for (const uid of change.uids) {
        const known = this.pendingFlags.get(uid);
        if (known === undefined || modseq > known) this.pendingFlags.set(uid, modseq);
      }
    }
  }

  noteResync(): void {
    this.needsResync = true;
  }

  hasPendingUpdates(): boolean {
    if (this.early) return false;
    return (
      this.needsResync || this.isRecheckDue() || this.pendingExists.size > 0 || this.pendingExpunge.size > 0 || this.pendingFlags.size > 0
    );
  }

  async flushUpdates(out: ResponseWriter, options: { allowExpunge: boolean }): Promise<void> {
    if ((this.needsResync || this.isRecheckDue()) && !this.early) await this.catchUp();
    if (options.allowExpunge && this.pendingExpunge.size > 0) this.writeExpunges(out);
    if (this.pendingExists.size > 0) this.writeExists(out);
    if (this.pendingFlags.size > 0) await this.writeFlagChanges(out);
    if (!options.allowExpunge && this.pendingExpunge.size > 0 && (this.enabled.has('CONDSTORE') || this.enabled.has('QRESYNC'))) {
      // RFC 7162 §3.2 (erratum 1810 of RFC 5162): MODSEQs above a held-back expunge have gone out, so
      // the client is told a HIGHESTMODSEQ below it — a resync from there still reports the expunge.
      let lowest = -1n;
      for (const m of this.pendingExpunge.values()) if (lowest < 0n || m < lowest) lowest = m;
      out.untagged(`OK [HIGHESTMODSEQ ${lowest - 1n}] Expunges pending`);
    }
  }

  /**
   * After the bus may have lost changes: one row read (mailboxState) says whether anything happened
   * since syncedModseq; if so changesSince lists it, and it is queued like bus changes would have
   * been (new UIDs, flag changes, tombstones).
   */
  private isRecheckDue(): boolean {
    return Date.now() - this.checkedAt >= RECHECK_MS;
  }

  private async catchUp(): Promise<void> {
    this.needsResync = false;
    this.checkedAt = Date.now();
    const since = this.syncedModseq;
    let state: Awaited<ReturnType<ImapStore['mailboxState']>>;
    let changes: Awaited<ReturnType<ImapStore['changesSince']>>;
    try {
      state = await this.store.mailboxState(this.accountId, this.mailboxId);
      if (!state) {
        this.deleted = true;
        return;
      }
      if (state.highestModseq <= since) return;
      changes = await this.store.changesSince(this.accountId, this.mailboxId, since);
    } catch {
      // Best effort: the store being away must not fail the command this flush follows; retried later.
      this.needsResync = true;
      return;
    }
    if (state.highestModseq > this.syncedModseq) this.syncedModseq = state.highestModseq;
    if (state.highestModseq > this.highestModseq) this.highestModseq = state.highestModseq;
    for (const uid of changes.vanished) {
      // The tombstone's own modseq is not listed; it is above `since`.
      if (this.seqOf(uid) > 0 && !this.pendingExpunge.has(uid)) this.pendingExpunge.set(uid, since + 1n);
      this.pendingExists.delete(uid);
    }
    for (const m of changes.changed) {
      if (m.uid > this.lastUid) this.pendingExists.add(m.uid);
      else if (this.seqOf(m.uid) > 0) this.pendingFlags.set(m.uid, m.modseq);
    }
  }

  /** RFC 9051 §7.5.1: descending, so each number is still right when the client applies it; VANISHED under QRESYNC (RFC 7162 §3.2.10). */
  private writeExpunges(out: ResponseWriter): void {
    const gone = sortUnique([...this.pendingExpunge.keys()].filter((uid) => this.seqOf(uid) > 0));
    this.pendingExpunge.clear();
    if (gone.length === 0) return;
    if (this.enabled.has('QRESYNC')) {
      out.untagged(`VANISHED ${formatSet(gone)}`);
    } else {
      for (let i = gone.length - 1; i >= 0; i--) out.untagged(`${this.seqOf(gone[i] as number)} EXPUNGE`);
    }
    const goneSet = new Set(gone);
    let w = 0;
    for (let r = 0; r < this.count; r++) {
      const uid = this.uids[r] as number;
      if (!goneSet.has(uid)) this.uids[w++] = uid;
    }
    this.count = w;
    for (const uid of gone) {
      this.pendingFlags.delete(uid);
      this.reported.delete(uid);
    }
  }

  private writeExists(out: ResponseWriter): void {
    // A UID below the last known one cannot get a sequence number (UIDs ascend with them); the store
    // commits UIDs in order, so this only drops echoes of messages already listed.
    const fresh = sortUnique([...this.pendingExists]).filter((uid) => uid > this.lastUid);
    this.pendingExists.clear();
    if (fresh.length === 0) return;
    if (this.count + fresh.length > this.uids.length) {
      const grown = new Uint32Array(Math.max(16, (this.count + fresh.length) * 2));
      grown.set(this.uids.subarray(0, this.count));
      this.uids = grown;
    }
    for (const uid of fresh) this.uids[this.count++] = uid;
    out.untagged(`${this.count} EXISTS`);
  }

  /** Fresh flags for messages others changed; RFC 7162 §3.2.4 asks for UID (QRESYNC) and MODSEQ (CONDSTORE) in them. */
  private async writeFlagChanges(out: ResponseWriter): Promise<void> {
    const candidates: number[] = [];
    for (const [uid, modseq] of this.pendingFlags) {
      if (this.seqOf(uid) > 0 && this.reportedModseq(uid) < modseq) candidates.push(uid);
    }
    this.pendingFlags.clear();
    const withModseq = this.enabled.has('CONDSTORE') || this.enabled.has('QRESYNC');
    const sorted = sortUnique(candidates);
    for (let i = 0; i < sorted.length; i += 250) {
      const batch = sorted.slice(i, i + 250);
      const metas = await this.store.fetchMeta(this.accountId, this.mailboxId, batch, {
        flags: true,
        internalDate: false,
        size: false,
        envelope: false,
        structure: false,
      });
      for (const meta of metas) {
        const seq = this.seqOf(meta.uid);
        if (seq === 0 || this.reportedModseq(meta.uid) >= meta.modseq) continue;
        this.noteReported(meta.uid, meta.modseq);
        this.announceKeywords(meta.flags ?? [], out);
        const modseq = withModseq ? ` MODSEQ (${meta.modseq})` : '';
        out.untagged(`${seq} FETCH (UID ${meta.uid} FLAGS (${(meta.flags ?? []).join(' ')})${modseq})`);
      }
    }
  }
}
