import { Socket } from 'node:net';
import { CopyViewParser, type PoolClient, type SegmentRow } from '@correio/db';
import { ByteSegments, joined } from './byte-segments.js';

export type { SegmentRow } from '@correio/db';

/** The rows of a running COPY, in groups as they arrive; `settled` resolves (never rejects) once the statement is over. */
export interface CopyRowStream extends AsyncIterable<SegmentRow[]> {
  /** The statement's failure, if any, once the client may be released (then or later it is idle again). */
  readonly settled: Promise<Error | undefined>;
}

/**
 * `COPY (query) TO STDOUT (FORMAT binary)`, its rows handed out while it runs, each field as views
 * of the bytes the socket delivered: no copy in Node between the kernel and the IMAP client's socket.
 *
 * Why not node-postgres's own CopyData messages: its parser (pg-protocol) merges every socket chunk
 * that follows a partial message into a buffer it reuses, so each message is a view that must be
 * copied again before the next chunk — two copies of every byte of a FETCH BODY[] (~14 ms of CPU per
 * 15 MB). Node's net.Socket hands each read to 'data' listeners as a Buffer over a new ArrayBuffer of
 * its own (lib/internal/stream_base_commons.js onStreamRead: `new FastBuffer(arrayBuffer, offset,
 * nread)`, the backing store allocated per read; only the `onread` option reuses one buffer, and
 * node-postgres does not use it), so views of those chunks stay valid as long as they are held.
 *
 * How: for the COPY's duration node-postgres's one 'data' listener is taken off its socket and this
 * one frames the PostgreSQL protocol itself (Protocol Flow, "COPY Operations": CopyOutResponse, any
 * number of CopyData 'd', CopyDone, CommandComplete, ReadyForQuery; ErrorResponse instead at any
 * point; NoticeResponse, ParameterStatus and NotificationResponse at any time). CopyData payloads go
 * to the row parser (@correio/db CopyViewParser: fields as views of these chunks); every other
 * message is handed, whole, to node-postgres's listener, whose state machine so sees exactly what it
 * would have seen except the CopyData; at ReadyForQuery its listener is put back first and the rest
 * of the chunk handed to it. Messages are handed over whole, so its parser never keeps a partial one
 * (it would write into the chunk it was given: pg-protocol's mergeBuffer reuses it; the ranges
 * handed over are never the ones kept here).
 *
 * When the takeover is not safe (a socket with other 'data' listeners, not a net.Socket, or a first
 * message that is not one PostgreSQL may send first — node-postgres's parser would then hold bytes
 * we cannot see), node-postgres keeps the socket and its CopyData messages are copied, as before.
 *
 * The COPY never waits for the reader: rows queue until read, so a client that stops reading holds
 * at most the statement's rows (FETCH's bodies statement bounds them: imap-fetch-lines.sql.ts) and
 * never the pool connection, which goes back as soon as ReadyForQuery arrives.
 *
 * COPY takes no parameters: callers inline only values they produced themselves (validated ids,
 * integers).
 */
export function streamCopyOut(client: Pick<PoolClient, 'query'>, sql: string): CopyRowStream {
  // A client in node-postgres's pipeline mode may have later queries' answers on the socket
  // behind the COPY's: those must reach its parser untouched, so it keeps the socket (not used here).
  const isPipelined = (client as { pipeline?: boolean }).pipeline === true;
  const copy = new CopyOutStream(`COPY (${sql}) TO STDOUT (FORMAT binary)`, !isPipelined);
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() accepts any object with submit(); its types do not say so.
  (client.query as (q: any) => unknown)(copy);
  return copy;
}

type DataListener = (chunk: Buffer) => void;

const COPY_DATA = 0x64; // 'd'
const READY_FOR_QUERY = 0x5a; // 'Z'
/** What may come first after a simple Query of COPY TO: CopyOutResponse 'H', ErrorResponse 'E', NoticeResponse 'N', ParameterStatus 'S', NotificationResponse 'A'. */
const FIRST_TYPES = new Set([0x48, 0x45, 0x4e, 0x53, 0x41]);
/** Message length sanity bound for that first message (PostgreSQL caps messages at 1 GB). */
const MAX_MESSAGE = 0x40000000;

class CopyOutStream implements CopyRowStream {
  private readonly parser = new CopyViewParser();
  private readonly raw = new ByteSegments();
  private readonly groups: SegmentRow[][] = [];
  private wake: (() => void) | undefined;
  private isAligned = false;
  private isEnded = false;
  private isAbandoned = false;
  private error: Error | undefined;
  private socket: Socket | undefined;
  private pgListener: DataListener | undefined;
  private resolveSettled!: (err: Error | undefined) => void;
  readonly settled = new Promise<Error | undefined>((resolve) => {
    this.resolveSettled = resolve;
  });

  constructor(
    private readonly text: string,
    private readonly mayTakeOver: boolean,
  ) {}

  submit(connection: { query(text: string): void; stream?: unknown }): void {
    if (this.mayTakeOver) this.takeOver(connection.stream);
    connection.query(this.text);
  }

  private takeOver(stream: unknown): void {
    if (!(stream instanceof Socket)) return;
    const listeners = stream.listeners('data');
    if (listeners.length !== 1) return;
    this.socket = stream;
    this.pgListener = listeners[0] as DataListener;
    stream.removeListener('data', this.pgListener);
    stream.on('data', this.onData);
    stream.once('close', this.giveBack);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.raw.push(chunk);
    const raw = this.raw;
    while (this.socket && raw.length >= 5) {
      const type = raw.byteAt(0);
      const length = raw.readIntBE(1, 4);
      if (!this.isAligned) {
        if (!FIRST_TYPES.has(type) || length < 4 || length > MAX_MESSAGE) {
          this.giveBack();
          return;
        }
        this.isAligned = true;
      }
      if (raw.length < 1 + length) return;
      if (type === COPY_DATA) {
        raw.skip(5);
        this.feed(raw.take(length - 4));
      } else if (type === READY_FOR_QUERY) {
        this.giveBack();
        return;
      } else {
        (this.pgListener as DataListener)(joined(raw.take(1 + length)));
      }
    }
  };

  /** node-postgres's listener back on its socket, and whatever arrived and is not ours handed to it. */
  private readonly giveBack = (): void => {
    const socket = this.socket;
    const listener = this.pgListener as DataListener;
    if (!socket) return;
    this.socket = undefined;
    socket.removeListener('data', this.onData);
    socket.removeListener('close', this.giveBack);
    socket.on('data', listener);
    if (this.raw.length > 0) listener(joined(this.raw.takeAll()));
  };

  private feed(views: Buffer[]): void {
    if (this.error) return;
    try {
      const rows = this.parser.push(views);
      if (rows.length > 0 && !this.isAbandoned) {
        this.groups.push(rows);
        this.wake?.();
      }
    } catch (err) {
      this.error = err as Error;
    }
  }

  /** Only when node-postgres kept the socket: its chunk is a view of the buffer it reuses, so copy it. */
  handleCopyData(msg: { chunk: Buffer }): void {
    this.feed([Buffer.from(msg.chunk)]);
  }

  // node-postgres forgets the active query on an ErrorResponse (no ReadyForQuery reaches it then) and
  // calls this on a lost connection too: finish at once, as its own Query does. The ReadyForQuery
  // that follows an ErrorResponse still passes through onData, which hands it over.
  handleError(err: Error): void {
    this.finish(err);
  }

  handleReadyForQuery(): void {
    this.finish(this.parser.isComplete ? undefined : new Error('binary COPY ended without its trailer'));
  }

  private finish(err: Error | undefined): void {
    if (this.isEnded) return;
    this.isEnded = true;
    this.error ??= err;
    this.resolveSettled(this.error);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SegmentRow[]> {
    try {
      for (;;) {
        // Every group queued meanwhile at once: a reader slower than the socket takes one step, not
        // one per socket read (each step is an async generator's round of promises, per layer).
        if (this.groups.length > 0) {
          const queued = this.groups.splice(0);
          yield queued.length === 1 ? (queued[0] as SegmentRow[]) : queued.flat();
          continue;
        }
        if (this.isEnded) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
      if (this.error) throw this.error;
    } finally {
      // A reader that stops early: the COPY runs to its end (the connection must reach ReadyForQuery), its rows dropped.
      this.isAbandoned = true;
      this.groups.length = 0;
    }
  }

  // Messages a COPY never brings; present because node-postgres may call them on any active query.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}
