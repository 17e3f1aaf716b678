import type { Socket } from 'node:net';
import { constants as zlibConstants, type DeflateRaw } from 'node:zlib';
import type { ImapValue } from '@correio/imap-protocol';
import type { Completion, ResponseWriter } from './command-context.js';

/** Turns response values into wire bytes (the lib's encoder, bound to the session's UTF-8 mode). */
export type ValuesEncoder = (values: ImapValue[]) => Buffer;

/**
 * The session's output: every byte the server sends goes through here, to the socket or, after
 * COMPRESS=DEFLATE (RFC 4978), to the compressor piped into it. Backpressure: drained() resolves
 * only when the socket (and the compressor) have room, and the session waits for it between
 * commands and handlers between batches of responses, so a client that stops reading stops the
 * session from producing more: memory stays bounded (issue 11 "Limits").
 */
export class SessionWriter implements ResponseWriter {
  private sink: Socket | DeflateRaw;
  private deflate: DeflateRaw | undefined;
  private isFlushScheduled = false;
  private isCorked = false;
  private isClosed = false;

  constructor(
    private socket: Socket,
    private readonly encodeValues: ValuesEncoder,
    /** Output allowed to wait for the client before drained() holds the session (imap-limits.ts). */
    private readonly maxPendingBytes: number,
  ) {
    this.sink = socket;
  }

  /** STARTTLS: the same writer continues on the TLS socket. */
  replaceSocket(socket: Socket): void {
    this.socket = socket;
    this.sink = this.deflate ?? socket;
  }

  /** COMPRESS=DEFLATE: everything after the OK goes through `deflate`, already piped into the socket. */
  startCompression(deflate: DeflateRaw): void {
    this.deflate = deflate;
    this.sink = deflate;
  }

  get isCompressing(): boolean {
    return this.deflate !== undefined;
  }

  close(): void {
    this.isClosed = true;
  }

  /**
   * Ends the output after what was written: with DEFLATE the compressor is finished (Z_FINISH) and
   * its pipe ends the socket once the last bytes are out, so BYE and the tagged OK are never lost.
   */
  end(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.deflate) this.deflate.end();
    else this.socket.end();
  }

  write(data: string | Buffer): void {
    if (this.isClosed || this.socket.destroyed) return;
    // Responses written in one tick leave in one writev: a FETCH of many messages or a burst of
    // pipelined commands costs one system call per tick, not one per line.
    if (!this.isCorked) {
      this.isCorked = true;
      const sink = this.sink;
      sink.cork();
      process.nextTick(() => {
        this.isCorked = false;
        sink.uncork();
      });
    }
    this.sink.write(data);
    // RFC 4978 §4: the compressor is flushed after each burst of responses (Z_SYNC_FLUSH), never
    // left holding a response the client waits for; one flush per event-loop turn, not per line.
    if (this.deflate && !this.isFlushScheduled) {
      this.isFlushScheduled = true;
      setImmediate(() => {
        this.isFlushScheduled = false;
        if (!this.isClosed && this.deflate && !this.deflate.destroyed) this.deflate.flush(zlibConstants.Z_SYNC_FLUSH);
      });
    }
  }

  untagged(line: string): void {
    this.write(`* ${line}\r\n`);
  }

  untaggedValues(values: ImapValue[]): void {
    this.write(Buffer.concat([Buffer.from('* '), this.encodeValues(values), Buffer.from('\r\n')]));
  }

  async untaggedStream(prefix: Buffer, body: AsyncIterable<Buffer>, suffix: Buffer): Promise<void> {
    this.write(prefix);
    for await (const chunk of body) {
      this.write(chunk);
      await this.drained();
    }
    this.write(suffix);
  }

  continuation(text: string): void {
    this.write(`+ ${text}\r\n`);
  }

  tagged(tag: string, completion: Completion): void {
    this.write(`${tag} ${statusLine(completion)}\r\n`);
  }

  /** Bytes written and not yet taken by the kernel (socket and compressor buffers). */
  get bufferedBytes(): number {
    return this.socket.writableLength + (this.deflate ? this.deflate.writableLength + this.deflate.readableLength : 0);
  }

  /** True while more than maxPendingBytes wait for the client (socket and compressor buffers). */
  get isBackedUp(): boolean {
    return !this.socket.destroyed && this.bufferedBytes > this.maxPendingBytes;
  }

  async drained(): Promise<void> {
    while (this.isBackedUp && !this.isClosed) {
      const stream = this.deflate?.writableNeedDrain ? this.deflate : this.socket;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          stream.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        stream.on('drain', done);
        this.socket.on('close', done);
        // 'drain' comes only after a write was refused; bytes held elsewhere (the compressor's
        // output side) are looked at again shortly instead.
        const timer = setTimeout(done, 50);
      });
    }
  }
}

/** "OK [CODE] text" (RFC 9051 §7.1). */
export function statusLine(c: Completion): string {
  return c.code ? `${c.status} [${c.code}] ${c.text}` : `${c.status} ${c.text}`;
}
