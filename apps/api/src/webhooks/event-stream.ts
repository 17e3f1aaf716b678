import type { ServerResponse } from 'node:http';
import { MAILBOX_CHANGED_EVENT } from '@correio/contracts';
import type { AccountEventsService } from '../events/account-events.service.js';
import { eventBody } from '../events/account-events.service.js';
import type { EventPosition } from '../events/account-events.repository.js';
import type { MailEventsService } from '../events/mail-events.service.js';

/** Events read per query while catching up. */
const BATCH = 200;
/** A comment line this often keeps proxies and the client from timing out an idle stream (HTML §9.2.7 suggests ~15 s). */
export const HEARTBEAT_MS = 20_000;
/** Without any wake-up (a NOTIFY lost with a process), the stream still looks this often. */
const SAFETY_POLL_MS = 10_000;
/** After a wake-up with nothing final to read yet (an older transaction still running), look again this soon, for a while. */
const HOT_POLL_MS = 20;
const HOT_FOR_MS = 1_000;
/** Unsent output past this (a client that stopped reading): the stream is closed; it resumes with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One text/event-stream response (HTML Living Standard §9.2, server-sent events) for one account:
 * first every outbox event after `position` (a Last-Event-ID resumes there without gaps: the outbox
 * is read in its commit-safe (xid, id) order), then new ones as the change bus says they are there.
 * Each outbox event is `id: <event id>`, `event: <type>`, `data: <the webhook body>`. Mailbox
 * changes (flags, expunges, moves, new mail from IMAP, POP3, another tab) go out as stream-only
 * `mailbox.changed` events without an id line, so they never move the client's Last-Event-ID.
 */
export class AccountEventStream {
  private position: EventPosition;
  private reading = false;
  private readAgain = false;
  private hotUntil = 0;
  private closed = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly offs: (() => void)[] = [];
  private hotTimer?: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    private readonly accountId: string,
    start: EventPosition,
    private readonly events: AccountEventsService,
    private readonly bus: MailEventsService,
    private readonly onError: (err: Error) => void,
  ) {
    this.position = start;
  }

  start(): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx: do not buffer the stream
    });
    // retry: how long a browser's EventSource waits before reconnecting.
    this.write('retry: 2000\n: connected\n\n');
    this.res.on('close', () => this.close());
    this.offs.push(
      this.events.onWake((accountId) => {
        if (accountId === undefined || accountId === this.accountId) this.wake();
      }),
      this.bus.subscribe((change) => {
        if (change.accountId !== this.accountId) return;
        const data = { mailboxId: change.mailboxId, change: change.kind, modseq: change.modseq, uids: change.uids.length <= 500 ? change.uids : undefined };
        this.write(`event: ${MAILBOX_CHANGED_EVENT}\ndata: ${JSON.stringify({ type: MAILBOX_CHANGED_EVENT, timestamp: new Date().toISOString(), data })}\n\n`);
      }),
    );
    this.timers.push(setInterval(() => this.write(': heartbeat\n\n'), HEARTBEAT_MS), setInterval(() => void this.read(), SAFETY_POLL_MS));
    void this.read();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    clearTimeout(this.hotTimer);
    for (const off of this.offs) off();
    if (!this.res.writableEnded) this.res.end();
  }

  private wake(): void {
    this.hotUntil = Date.now() + HOT_FOR_MS;
    void this.read();
  }

  /** Reads and writes everything final after the position; one read at a time (a wake meanwhile reads again). */
  private async read(): Promise<void> {
    if (this.closed) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    let found = 0;
    try {
      do {
        this.readAgain = false;
        for (;;) {
          const rows = await this.events.listAfter(this.accountId, this.position, BATCH);
          if (this.closed) return;
          for (const row of rows) this.write(`id: ${row.id}\nevent: ${row.type}\ndata: ${JSON.stringify(eventBody(row))}\n\n`);
          found += rows.length;
          if (rows.length > 0) this.position = { xid: rows[rows.length - 1]!.xid, id: rows[rows.length - 1]!.id };
          if (rows.length < BATCH) break;
          await this.drained();
        }
      } while (this.readAgain && !this.closed);
    } catch (err) {
      this.onError(err as Error);
    } finally {
      this.reading = false;
    }
    // Woken but nothing final yet: an older transaction is still running; look again shortly.
    if (found === 0 && !this.closed && Date.now() < this.hotUntil) {
      clearTimeout(this.hotTimer);
      this.hotTimer = setTimeout(() => void this.read(), HOT_POLL_MS);
    }
  }

  private write(text: string): void {
    if (this.closed) return;
    this.res.write(text);
    // Backpressure: a client that does not read cannot make us hold its events in memory.
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.close();
  }

  /** Waits until the socket has taken what was written (catching up a long way). */
  private drained(): Promise<void> {
    if (this.closed || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }
}
