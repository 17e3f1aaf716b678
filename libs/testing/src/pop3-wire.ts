import net from 'node:net';
import tls from 'node:tls';

/**
 * A raw POP3 client for transcript tests: sends lines as given and returns responses as text, the
 * lines of a multi-line response joined by "\n" with the terminating "." kept (dot-stuffing visible).
 */
export class Pop3Wire {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private isClosed = false;

  private constructor(private socket: net.Socket) {
    this.listen(socket);
  }

  static async connect(port: number, options: { tls?: boolean } = {}): Promise<Pop3Wire> {
    const socket = options.tls ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new Pop3Wire(socket);
  }

  get closed(): boolean {
    return this.isClosed;
  }

  private listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.isClosed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  /** The next line without CRLF; '(closed)' once the server has closed. */
  async line(): Promise<string> {
    for (;;) {
      const nl = this.buffer.indexOf('\r\n');
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl).toString('latin1');
        this.buffer = this.buffer.subarray(nl + 2);
        return line;
      }
      if (this.isClosed) return '(closed)';
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  /** The raw bytes of a multi-line response after its status line, up to and including ".\r\n". */
  async multiRaw(): Promise<Buffer> {
    for (;;) {
      const end = this.buffer.indexOf('\r\n.\r\n');
      if (end >= 0 || this.buffer.subarray(0, 3).toString() === '.\r\n') {
        const len = end >= 0 ? end + 5 : 3;
        const out = this.buffer.subarray(0, len);
        this.buffer = this.buffer.subarray(len);
        return out;
      }
      if (this.isClosed) throw new Error('closed in a multi-line response');
      await new Promise<void>((r) => (this.waiter = r));
    }
  }

  /** Sends a command; returns its status line, and for multi-line responses the lines after it. */
  async cmd(line: string, multi = false): Promise<string> {
    this.send(`${line}\r\n`);
    return this.reply(multi);
  }

  async reply(multi = false): Promise<string> {
    const status = await this.line();
    if (!multi || !status.startsWith('+OK')) return status;
    const body = (await this.multiRaw()).toString('latin1');
    return `${status}\n${body.slice(0, -2).split('\r\n').join('\n')}`;
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** STLS: after the +OK, TLS on the same socket. */
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

  /** Drops the connection without QUIT. */
  drop(): void {
    this.socket.destroy();
  }

  async waitClosed(): Promise<void> {
    while (!this.isClosed) await new Promise<void>((r) => (this.waiter = r));
  }
}
