import net from 'node:net';

/**
 * A raw SMTP client for transcript tests: sends exactly the bytes given and returns each reply
 * (multi-line replies joined with \n), so tests can assert codes the way RFC 5321 writes them.
 */
export class SmtpTranscript {
  private buffer = '';
  private readonly waiters: ((reply: string) => void)[] = [];
  private readonly replies: string[] = [];
  private closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w('(closed)');
    });
    socket.on('error', () => {});
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<SmtpTranscript> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new SmtpTranscript(socket);
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let reply = '';
    for (;;) {
      const nl = this.buffer.indexOf('\r\n');
      if (nl === -1) break;
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      reply += (reply ? '\n' : '') + line;
      if (line[3] !== '-') {
        const w = this.waiters.shift();
        if (w) w(reply);
        else this.replies.push(reply);
        reply = '';
      }
    }
    if (reply) this.buffer = `${reply.split('\n').join('\r\n')}\r\n${this.buffer}`;
  }

  /** The next complete reply (the greeting first). */
  read(timeoutMs = 10_000): Promise<string> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve('(closed)');
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no SMTP reply in time')), timeoutMs);
      this.waiters.push((r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends one command line (CRLF added) and returns its reply. */
  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.read();
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Just the three-digit code of a reply. */
export const code = (reply: string): number => Number(reply.slice(0, 3));
