import net from 'node:net';
import tls from 'node:tls';
import { constants as zlibConstants, createDeflateRaw, createInflateRaw, type DeflateRaw } from 'node:zlib';

/**
 * A raw IMAP client for transcript tests: sends exactly what it is given and returns the server's
 * lines as text (a literal's bytes are kept inline after its "{n}" line ending, so a response reads
 * as it went over the wire). Knows just enough to STARTTLS and COMPRESS=DEFLATE.
 */
const DEBUG = process.env.IMAP_WIRE_DEBUG === '1';

export class ImapWire {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private isClosed = false;
  private deflate: DeflateRaw | undefined;
  /** Bytes received so far (after decompression): tests of backpressure read this. */
  received = 0;

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, options: { tls?: boolean } = {}): Promise<ImapWire> {
    const socket = options.tls ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new ImapWire(socket);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get rawSocket(): net.Socket {
    return this.socket;
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.take(chunk));
    socket.on('close', () => {
      this.isClosed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private take(chunk: Buffer): void {
    this.received += chunk.length;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async more(): Promise<boolean> {
    if (this.isClosed) return false;
    await new Promise<void>((r) => (this.waiter = r));
    return true;
  }

  /** The next response line without CRLF, literals inline; '(closed)' once the server has closed. */
  async line(): Promise<string> {
    let out = '';
    for (;;) {
      const nl = this.buffer.indexOf('\r\n');
      if (nl < 0) {
        if (!(await this.more())) return out ? `${out}(closed)` : '(closed)';
        continue;
      }
      const text = this.buffer.subarray(0, nl).toString('utf8');
      this.buffer = this.buffer.subarray(nl + 2);
      const literal = /~?\{(\d+)\}$/.exec(text);
      if (DEBUG) console.log(`S: ${text}`);
      if (!literal) return out + text;
      const size = Number(literal[1]);
      while (this.buffer.length < size) if (!(await this.more())) return `${out + text}\n(closed)`;
      out += `${text}\n${this.buffer.subarray(0, size).toString('utf8')}`;
      this.buffer = this.buffer.subarray(size);
    }
  }

  /** Lines up to and including the tagged response for `tag`. */
  async until(tag: string): Promise<string[]> {
    const lines: string[] = [];
    for (;;) {
      const l = await this.line();
      lines.push(l);
      if (l.startsWith(`${tag} `) || l === '(closed)') return lines;
    }
  }

  /** Sends one command line (its first word is the tag) and returns every line up to its completion. */
  async cmd(line: string): Promise<string[]> {
    this.send(`${line}\r\n`);
    return this.until(line.split(' ')[0]!);
  }

  send(data: string | Buffer): void {
    if (this.deflate) {
      this.deflate.write(data);
      this.deflate.flush(zlibConstants.Z_SYNC_FLUSH);
    } else this.socket.write(data);
  }

  /** STARTTLS: after the tagged OK, TLS on the same socket. */
  async startTls(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  /** COMPRESS=DEFLATE after the tagged OK: both directions deflated from here on. */
  startCompression(): void {
    const socket = this.socket;
    socket.removeAllListeners('data');
    socket.removeAllListeners('close');
    const inflate = createInflateRaw();
    socket.on('data', (chunk: Buffer) => inflate.write(chunk));
    inflate.on('data', (chunk: Buffer) => this.take(chunk));
    // Closed only once the inflater has given out the last bytes (it works asynchronously).
    socket.on('close', () => inflate.end());
    const closed = () => {
      this.isClosed = true;
      this.wake();
    };
    inflate.on('end', closed);
    inflate.on('error', closed);
    this.deflate = createDeflateRaw();
    this.deflate.on('data', (chunk: Buffer) => socket.write(chunk));
  }

  /** Stops reading from the socket (a client that does not read its responses). */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  drop(): void {
    this.socket.destroy();
  }

  async waitClosed(): Promise<void> {
    while (!this.isClosed) await new Promise<void>((r) => (this.waiter = r));
  }
}
