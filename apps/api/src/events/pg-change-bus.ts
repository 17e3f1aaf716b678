import pg from 'pg';
import type { MailboxChange } from '../mailbox-store/mailbox-store.types.js';

/** The channel mail changes cross processes on (DESIGN invariant 6). */
export const MAIL_CHANGES_CHANNEL = 'correio_mail_changes';

/** NOTIFY payloads must stay under 8000 bytes (PostgreSQL's limit); room is left for the JSON around the UIDs. */
const MAX_PAYLOAD = 7900;
/** Changes kept while the connection is down; past this the oldest are dropped (nobody could wait that long). */
const MAX_QUEUED = 10_000;
/** Least time between two outgoing batches (see schedule()). */
const FLUSH_INTERVAL_MS = 10;

const KIND_CODE = { exists: 'e', flags: 'f', expunge: 'x' } as const;
const CODE_KIND = { e: 'exists', f: 'flags', x: 'expunge' } as const;

interface Payload {
  /** Sender process: a process drops its own changes (it emitted them locally already). */
  p: string;
  a: string;
  m: string;
  k: 'e' | 'f' | 'x';
  s: string;
  /** UIDs as IMAP sequence-set text ("1:5,9"), ascending. */
  u: string;
}

/** UIDs as "a:b,c" ranges, split so that each piece fits in `room` characters. */
export function uidRanges(uids: number[], room: number): string[] {
  const sorted = [...new Set(uids)].sort((x, y) => x - y);
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    const range = i === j ? `${sorted[i]}` : `${sorted[i]}:${sorted[j]}`;
    if (current && current.length + 1 + range.length > room) {
      pieces.push(current);
      current = '';
    }
    current = current ? `${current},${range}` : range;
    i = j + 1;
  }
  if (current) pieces.push(current);
  return pieces;
}

function parseRanges(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.split(':').map(Number);
    if (!Number.isSafeInteger(a)) continue;
    for (let u = a!; u <= (b ?? a)!; u++) out.push(u);
  }
  return out;
}

/** One change as NOTIFY payloads: several when its UID list does not fit in one. */
export function encodeChange(processId: string, c: MailboxChange): string[] {
  const head: Omit<Payload, 'u'> = { p: processId, a: c.accountId, m: c.mailboxId, k: KIND_CODE[c.kind], s: c.modseq };
  const room = MAX_PAYLOAD - JSON.stringify({ ...head, u: '' }).length;
  const pieces = c.uids.length === 0 ? [''] : uidRanges(c.uids, room);
  return pieces.map((u) => JSON.stringify({ ...head, u }));
}

/**
 * An outbox signal (issue 13): "account events were committed for this account" — written by code
 * outside the store's change path (delivery outcomes, sends). `o` tells it apart from a change.
 */
export function encodeEventsSignal(processId: string, accountId: string): string {
  return JSON.stringify({ p: processId, o: accountId });
}

export function decodeEventsSignal(payload: string): { processId: string; accountId: string } | undefined {
  try {
    const p = JSON.parse(payload) as { p?: unknown; o?: unknown };
    return typeof p.o === 'string' && typeof p.p === 'string' ? { processId: p.p, accountId: p.o } : undefined;
  } catch {
    return undefined;
  }
}

export function decodeChange(payload: string): { processId: string; change: MailboxChange } | undefined {
  try {
    const p = JSON.parse(payload) as Payload;
    const kind = CODE_KIND[p.k];
    if (!kind || typeof p.a !== 'string' || typeof p.m !== 'string' || typeof p.s !== 'string') return undefined;
    return { processId: p.p, change: { accountId: p.a, mailboxId: p.m, kind, uids: parseRanges(p.u ?? ''), modseq: p.s } };
  } catch {
    return undefined;
  }
}

/**
 * The change bus across processes, over PostgreSQL LISTEN/NOTIFY on ONE dedicated connection (not
 * the pool's: LISTEN is session state, and the MX's per-message budget of pool statements stays as
 * it is). Outgoing changes of one event-loop turn go out in one round trip (`pg_notify` over an
 * array), after the COMMIT that made them (the caller publishes after COMMIT). Not inside the
 * writer's own transaction: a NOTIFY takes a cluster-wide lock that it holds until its COMMIT has
 * flushed (PostgreSQL's PreCommit_Notify, to keep the queue in commit order), which would serialize
 * every delivery's COMMIT behind every other notifying transaction of the server; and a NOTIFY gives
 * its transaction an XID, so each batch here is a commit record to flush (issue 10 tried the NOTIFY
 * in the delivery statement and synchronous_commit off here: neither measurably paid, bench/README).
 * Notifications from
 * other processes are re-emitted locally; this process's own are dropped by the id in the payload.
 *
 * A lost connection is re-established after a second; changes published meanwhile are queued
 * (bounded) and sent then, while notifications other processes sent meanwhile are lost — so once
 * it listens again it calls `onReconnected`, and MailEventsService tells every subscriber of
 * onResync to re-check its mailbox from the store (ImapStore.mailboxState, changesSince).
 * Real PostgreSQL only: PGlite's one shared session cannot deliver a notification to another
 * connection, and there everything runs in one process anyway.
 */
export class PgChangeBus {
  private client?: pg.Client;
  private ready = false;
  private stopped = true;
  private retry?: NodeJS.Timeout;
  private queue: string[] = [];
  private flushing = false;
  private scheduled = false;
  private lastFlushAt = 0;

  constructor(
    private readonly connectionString: string,
    readonly processId: string,
    private readonly onRemote: (change: MailboxChange) => void,
    /** Called each time LISTEN is back after a lost connection (not on the first start). */
    private readonly onReconnected: () => void = () => {},
    /** Outbox signals from other processes (encodeEventsSignal). */
    private readonly onRemoteEvents: (accountId: string) => void = () => {},
  ) {}

  /** LISTEN has succeeded at least once: a later success is a reconnection. */
  private listenedBefore = false;

  start(): Promise<void> {
    if (!this.stopped) return Promise.resolve();
    this.stopped = false;
    return this.connect();
  }

  /** Queues a committed change for the other processes. */
  send(change: MailboxChange): void {
    if (this.stopped) return;
    this.queue.push(...encodeChange(this.processId, change));
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
    this.schedule();
  }

  /** Queues an outbox signal (account events committed) for the other processes. */
  sendEventsSignal(accountId: string): void {
    if (this.stopped) return;
    this.queue.push(encodeEventsSignal(this.processId, accountId));
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || !this.ready || this.queue.length === 0) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    // At most one batch per FLUSH_INTERVAL_MS: each batch is a round trip, a transaction with a
    // commit record to flush (NOTIFY takes an XID) and a wake-up of every listening backend and
    // process, so under a steady stream of deliveries (one session: a message every few ms) the
    // changes of several COMMITs share one. The first change after a quiet spell goes out on the
    // next turn of the event loop, as before; other processes learn of a change at most this much
    // later (IMAP IDLE push p99 target: 100 ms; the webmail's live updates: 2 s).
    const wait = this.lastFlushAt + FLUSH_INTERVAL_MS - Date.now();
    if (wait <= 0) setImmediate(run);
    else setTimeout(run, wait);
  }

  private async flush(): Promise<void> {
    const client = this.client;
    if (!client || !this.ready || this.queue.length === 0) return;
    this.flushing = true;
    this.lastFlushAt = Date.now();
    const batch = this.queue.splice(0, 500);
    try {
      // Named: PostgreSQL parses and plans it once per connection, not on every write's batch (its own
      // connection to a real server: PGlite keeps the in-process bus).
      await client.query({ name: 'correio-bus-notify', text: 'SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', values: [MAIL_CHANGES_CHANNEL, batch] });
    } catch {
      // The connection went: keep the batch for the next one (lost() reconnects).
      this.queue.unshift(...batch);
    } finally {
      this.flushing = false;
      this.schedule();
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'correio-mail-changes' });
    this.client = client;
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.ready = false;
      client.end().catch(() => {});
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), 1_000).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    // How this process's own payloads begin (encodeChange and encodeEventsSignal write `p` first).
    const ownPrefix = `{"p":${JSON.stringify(this.processId)},`;
    client.on('notification', (n) => {
      if (n.channel !== MAIL_CHANGES_CHANNEL || !n.payload) return;
      // This process's own notifications come back too (one per delivered message on the MX): both
      // encoders write the sender first, so they are dropped here without parsing them.
      if (n.payload.startsWith(ownPrefix)) return;
      const signal = n.payload.includes('"o":') ? decodeEventsSignal(n.payload) : undefined;
      if (signal) {
        if (signal.processId !== this.processId) this.onRemoteEvents(signal.accountId);
        return;
      }
      const decoded = decodeChange(n.payload);
      if (decoded && decoded.processId !== this.processId) this.onRemote(decoded.change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${MAIL_CHANGES_CHANNEL}`);
      this.ready = true;
      this.schedule();
      if (this.listenedBefore) this.onReconnected();
      this.listenedBefore = true;
    } catch {
      lost();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
