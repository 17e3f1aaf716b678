// A raw-socket IMAP client for the benchmark: as little work per byte as a client can do, so the
// timings are the server's. It frames responses exactly (RFC 9051 §4.3: a line ending in {n} or
// {n+} is followed by n octets of literal, then the rest of the same response), counts bytes and
// untagged responses, and keeps their text only when asked (`collect`). Commands may be pipelined:
// each tagged completion settles its own promise; untagged responses count for the oldest command
// still open (which is what a pipelining client sees too).
import net from 'node:net';
import tls from 'node:tls';

const CRLF = Buffer.from('\r\n');
const LITERAL_AT_END = /\{(\d+)\+?\}$/;

export class ImapError extends Error {}

/**
 * Opens a connection and reads the greeting. `onUntagged(line, at)` sees every untagged response
 * line (the text up to the first literal) with its arrival time in ms (performance.now()).
 */
export async function connectImap(port, { host = '127.0.0.1', tls: useTls = false, onUntagged } = {}) {
  const sock = useTls ? tls.connect({ port, host, rejectUnauthorized: false }) : net.connect(port, host);
  sock.setNoDelay(true);
  const client = new ImapClient(sock, onUntagged);
  await new Promise((resolve, reject) => {
    sock.once(useTls ? 'secureConnect' : 'connect', resolve);
    sock.once('error', reject);
  });
  const greeting = await client.greeting;
  if (!/^\* (OK|PREAUTH)/i.test(greeting)) throw new ImapError(`greeting: ${greeting}`);
  return client;
}

class ImapClient {
  constructor(sock, onUntagged) {
    this.sock = sock;
    this.onUntagged = onUntagged;
    this.tagSeq = 0;
    this.open = []; // commands in the order sent: { tag, resolve, reject, collect, untagged, lines, bytes }
    this.continuation = null; // resolver waiting for a "+" line
    this.bytesIn = 0;
    this.capabilities = new Set();
    // Framing state: the current response's first line (text before any literal), and whether we
    // are inside a literal with `literalLeft` octets to skip.
    this.line = [];
    this.lineLen = 0;
    this.literalLeft = 0;
    this.responseHead = null;
    this.collected = null;
    let greet;
    this.greeting = new Promise((r) => (greet = r));
    this.greet = greet;
    this.closed = false;
    sock.on('data', (chunk) => this.onData(chunk));
    const fail = (err) => {
      this.closed = true;
      const e = err instanceof Error ? err : new ImapError('connection closed');
      for (const c of this.open.splice(0)) c.reject(e);
      this.continuation?.reject(e);
      this.continuation = null;
    };
    sock.on('error', fail);
    sock.on('close', () => fail(new ImapError('connection closed by the server')));
  }

  onData(chunk) {
    this.bytesIn += chunk.length;
    let pos = 0;
    while (pos < chunk.length) {
      if (this.literalLeft > 0) {
        const take = Math.min(this.literalLeft, chunk.length - pos);
        if (this.collected) this.collected.push(chunk.subarray(pos, pos + take));
        this.literalLeft -= take;
        pos += take;
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.line.push(chunk.subarray(pos));
        this.lineLen += chunk.length - pos;
        return;
      }
      this.line.push(chunk.subarray(pos, nl + 1));
      pos = nl + 1;
      const text = Buffer.concat(this.line).toString('latin1').replace(/\r?\n$/, '');
      this.line = [];
      this.lineLen = 0;
      this.onLine(text);
    }
  }

  /** One line of a response: either a whole response, or a part ending in a literal. */
  onLine(text) {
    const head = this.responseHead === null;
    if (head) this.responseHead = text;
    const command = this.open[0];
    if (this.collected) this.collected.push(Buffer.from(head ? text : text, 'latin1'), CRLF);
    else if (head && command?.collect) this.collected = [Buffer.from(text, 'latin1'), CRLF];
    const m = LITERAL_AT_END.exec(text);
    if (m) {
      this.literalLeft = Number(m[1]);
      if (this.literalLeft > 0) return;
      return; // {0}: the response goes on with the next line
    }
    const first = this.responseHead;
    const full = this.collected ? Buffer.concat(this.collected).toString('latin1') : first;
    this.responseHead = null;
    this.collected = null;
    this.onResponse(first, full);
  }

  onResponse(first, full) {
    if (first.startsWith('+')) {
      const c = this.continuation;
      this.continuation = null;
      c?.resolve(first);
      return;
    }
    if (first.startsWith('* ')) {
      if (this.greet) {
        const g = this.greet;
        this.greet = null;
        this.parseCapabilities(first);
        g(first);
        return;
      }
      if (/^\* CAPABILITY /i.test(first)) this.parseCapabilities(first);
      this.onUntagged?.(first, performance.now());
      const c = this.open[0];
      if (c) {
        c.untagged++;
        if (c.collect) c.lines.push(full);
      }
      return;
    }
    const sp = first.indexOf(' ');
    const tag = first.slice(0, sp);
    const i = this.open.findIndex((c) => c.tag === tag);
    if (i < 0) return;
    const [c] = this.open.splice(i, 1);
    const rest = first.slice(sp + 1);
    this.parseCapabilities(rest);
    const status = rest.slice(0, rest.indexOf(' ') >>> 0).toUpperCase();
    const result = { status, text: rest, untagged: c.untagged, lines: c.lines, bytes: this.bytesIn - c.bytesAtStart };
    if (status === 'OK' || c.allowNo) c.resolve(result);
    else c.reject(new ImapError(`${c.label}: ${first}`));
  }

  parseCapabilities(text) {
    const m = /(?:^\* |\[)CAPABILITY ([^\]]*)/i.exec(text);
    if (m) this.capabilities = new Set(m[1].toUpperCase().split(' '));
  }

  nextTag() {
    return `A${++this.tagSeq}`;
  }

  /**
   * Sends one command (text without tag and CRLF). Options: collect (keep untagged responses' text),
   * allowNo (resolve NO/BAD instead of rejecting). Resolves on the tagged completion.
   */
  command(text, { collect = false, allowNo = false } = {}) {
    if (this.closed) return Promise.reject(new ImapError('connection closed'));
    const tag = this.nextTag();
    const p = new Promise((resolve, reject) => {
      this.open.push({ tag, resolve, reject, collect, allowNo, untagged: 0, lines: [], bytesAtStart: this.bytesIn, label: text.slice(0, 60) });
    });
    this.sock.write(`${tag} ${text}\r\n`);
    return p;
  }

  /** APPEND with a literal: non-synchronizing (LITERAL+, RFC 7888) when offered, else waits for "+". */
  async append(mailbox, message, flags = '') {
    const tag = this.nextTag();
    const plus = this.capabilities.has('LITERAL+');
    const p = new Promise((resolve, reject) => {
      this.open.push({ tag, resolve, reject, collect: false, allowNo: false, untagged: 0, lines: [], bytesAtStart: this.bytesIn, label: 'APPEND' });
    });
    const head = `${tag} APPEND ${mailbox}${flags ? ` (${flags})` : ''} {${message.length}${plus ? '+' : ''}}\r\n`;
    if (plus) {
      this.sock.write(head);
    } else {
      const cont = new Promise((resolve, reject) => (this.continuation = { resolve, reject }));
      this.sock.write(head);
      await cont;
    }
    this.sock.write(message);
    this.sock.write(CRLF);
    return p;
  }

  /**
   * MULTIAPPEND (RFC 3502): many messages in one APPEND command, all literals non-synchronizing
   * (LITERAL+), so the whole batch goes out in one write. The server stores all or none.
   */
  multiAppend(mailbox, messages) {
    if (!this.capabilities.has('LITERAL+') || !this.capabilities.has('MULTIAPPEND')) {
      return Promise.reject(new ImapError('MULTIAPPEND with LITERAL+ is not offered'));
    }
    const tag = this.nextTag();
    const p = new Promise((resolve, reject) => {
      this.open.push({ tag, resolve, reject, collect: false, allowNo: false, untagged: 0, lines: [], bytesAtStart: this.bytesIn, label: 'MULTIAPPEND' });
    });
    const parts = [Buffer.from(`${tag} APPEND ${mailbox}`)];
    for (const m of messages) parts.push(Buffer.from(` {${m.length}+}\r\n`), m);
    parts.push(CRLF);
    this.sock.write(Buffer.concat(parts));
    return p;
  }

  async login(user, password) {
    const q = (s) => `"${s.replace(/["\\]/g, '\\$&')}"`;
    return this.command(`LOGIN ${q(user)} ${q(password)}`);
  }

  /** IDLE (RFC 2177): resolves once the server answered "+"; done() ends it and awaits the OK. */
  async idle() {
    const tag = this.nextTag();
    const finished = new Promise((resolve, reject) => {
      this.open.push({ tag, resolve, reject, collect: false, allowNo: false, untagged: 0, lines: [], bytesAtStart: this.bytesIn, label: 'IDLE' });
    });
    const cont = new Promise((resolve, reject) => (this.continuation = { resolve, reject }));
    this.sock.write(`${tag} IDLE\r\n`);
    await cont;
    return {
      done: () => {
        this.sock.write('DONE\r\n');
        return finished;
      },
    };
  }

  async logout() {
    await this.command('LOGOUT').catch(() => {});
    this.sock.destroy();
  }

  destroy() {
    this.sock.destroy();
  }
}
