/**
 * Behaviour smtp-server (3.21) does not offer as options, added once, process-wide, on the ESM
 * module instance the listeners use. Each patch wraps the original method and is inert unless a
 * listener opts in through its own `correio` options (so an unpatched server behaves as upstream).
 *
 * 1. Enhanced status codes. smtp-server derives the RFC 3463 code from the basic code alone
 *    (550 → 5.1.1), but RFC 5321 uses 550 for "no such user" (5.1.1) and for "relaying denied"
 *    (5.7.1) alike. A reply text that starts with its own enhanced code keeps it.
 * 2. Greeting delay. smtp-server always pauses 100 ms before the 220 (answering early talkers
 *    "421 You talk too soon"). On submission that is pure latency and on the MX a hidden throughput
 *    cap (toolchain notes), so the pause is `correio.greetingDelayMs` (0 = greet at once).
 * 3. Session lifetime. A connection is closed with 421 4.4.2 after `correio.maxSessionMs`, however
 *    busy, so a slow-drip client cannot hold a connection slot forever.
 * 4. Bare CR or LF in a command line. RFC 5321 §2.3.8 allows CR and LF only as CRLF; smtp-server
 *    splits commands on /\r?\n/. Ambiguous line ends are the raw material of SMTP smuggling, so a
 *    command line with a bare CR or LF is answered `550 5.5.2` and the connection is closed, as
 *    Postfix does with smtpd_forbid_bare_newline. (DATA content is checked after end-of-data, see
 *    inbound-checks.ts: smtp-server only ever ends DATA at CRLF.CRLF.)
 * 6. Over-long command lines. smtp-server answers them 421 4.4.2; RFC 5321 §4.2.2 and §4.5.3.1.4
 *    name 500 for "command line too long". The parser cannot go on after it (the rest of the line
 *    is unframed), so the connection still closes, after `500 5.5.2`.
 * 5. AUTH offered only over TLS. smtp-server lists AUTH in EHLO even on a plaintext connection where
 *    it will refuse it; with `correio.advertiseAuthOnlyOverTls` EHLO lists AUTH only after STARTTLS
 *    (or on loopback when the development setting allows plaintext AUTH there), so clients are
 *    never invited to send a password in the clear.
 * 7. DATA seek. The search for "\n." in DATA uses Buffer.indexOf instead of a byte loop
 *    (smtp-data-feed.ts: upstream's function with that one change; ~5% of the MX's CPU on 100 KiB
 *    messages).
 */

import { type DataFeedStream, feedDataStream } from './smtp-data-feed.js';

export interface CorreioSmtpOptions {
  greetingDelayMs: number;
  maxSessionMs: number;
  rejectBareNewlines: boolean;
  advertiseAuthOnlyOverTls?: boolean;
  /** With advertiseAuthOnlyOverTls: still advertise AUTH to loopback clients (development). */
  advertiseAuthOnLoopback?: boolean;
}

type Connection = {
  _server: { options: { correio?: CorreioSmtpOptions } };
  secure: boolean;
  remoteAddress: string;
  correioInEhlo?: boolean;
  _isSupported(command: string): boolean;
  handler_EHLO(command: Buffer, callback: () => void): void;
  _closing: boolean;
  _closed: boolean;
  _setListeners(cb: () => void): void;
  connectionReady(next?: () => void): void;
  send(code: number, data?: unknown, context?: unknown): void;
  close(): void;
  _createParser(): Parser;
};
type Parser = DataFeedStream & {
  _dataMode: boolean;
  _write(chunk: Buffer, encoding: string, next: (err?: Error) => void): void;
  correioConnection?: Connection;
  correioLastByte?: number;
};

const OWN_CODE = /^[245]\.\d{1,3}\.\d{1,3} /;
const CONNECTION_MODULE: string = 'smtp-server/lib/smtp-connection.js';
const STREAM_MODULE: string = 'smtp-server/lib/smtp-stream.js';
let applied: Promise<void> | undefined;

export function applySmtpServerPatches(): Promise<void> {
  applied ??= apply();
  return applied;
}

async function apply(): Promise<void> {
  const { SMTPConnection } = (await import(CONNECTION_MODULE)) as { SMTPConnection: { prototype: Connection } };
  const { SMTPStream } = (await import(STREAM_MODULE)) as { SMTPStream: { prototype: Parser } };
  const proto = SMTPConnection.prototype;

  const send = proto.send;
  proto.send = function (this: Connection, code, data, context) {
    // context === false tells smtp-server to add no enhanced code of its own.
    return send.call(this, code, data, typeof data === 'string' && OWN_CODE.test(data) ? false : context);
  };

  const init = (proto as unknown as { init(this: Connection): void }).init;
  (proto as unknown as { init(this: Connection): void }).init = function (this: Connection) {
    const opts = this._server.options.correio;
    if (!opts) return init.call(this);
    this._setListeners(() => {
      const maxClients = (this._server.options as { maxClients?: number }).maxClients;
      const connections = (this._server as unknown as { connections: Set<unknown> }).connections;
      if (maxClients && connections.size > maxClients) {
        return this.send(421, '4.7.0 Too many connected clients, try again in a moment', false);
      }
      if (opts.maxSessionMs > 0) {
        setTimeout(() => {
          if (this._closing || this._closed) return;
          this.send(421, '4.4.2 Session time limit reached, closing connection');
          this.close();
        }, opts.maxSessionMs).unref();
      }
      if (opts.greetingDelayMs > 0) setTimeout(() => this.connectionReady(), opts.greetingDelayMs).unref();
      else setImmediate(() => this.connectionReady());
    });
  };

  const isSupported = proto._isSupported;
  proto._isSupported = function (this: Connection, command: string) {
    const opts = this._server.options.correio;
    if (command === 'AUTH' && this.correioInEhlo && opts?.advertiseAuthOnlyOverTls && !this.secure) {
      const loopback = /^(127\.|::1$|::ffff:127\.)/.test(this.remoteAddress);
      if (!(opts.advertiseAuthOnLoopback && loopback)) return false;
    }
    return isSupported.call(this, command);
  };
  const ehlo = proto.handler_EHLO;
  proto.handler_EHLO = function (this: Connection, command, callback) {
    // The feature list is built synchronously inside the handler.
    this.correioInEhlo = true;
    try {
      return ehlo.call(this, command, callback);
    } finally {
      this.correioInEhlo = false;
    }
  };

  const createParser = proto._createParser;
  proto._createParser = function (this: Connection) {
    const parser = createParser.call(this);
    parser.correioConnection = this;
    if (this._server.options.correio) {
      const upstream = (parser as unknown as NodeJS.EventEmitter).listeners('error') as ((err: Error) => void)[];
      (parser as unknown as NodeJS.EventEmitter).removeAllListeners('error');
      (parser as unknown as NodeJS.EventEmitter).on('error', (err: Error) => {
        if (!/line too long/i.test(err.message)) {
          for (const l of upstream) l(err);
          return;
        }
        this.send(500, '5.5.2 Line too long (RFC 5321 §4.5.3.1.4), closing connection');
        this.close();
      });
    }
    return parser;
  };

  const feed = SMTPStream.prototype._feedDataStream;
  SMTPStream.prototype._feedDataStream = function (this: Parser, chunk, done) {
    if (this.correioConnection?._server.options.correio) return feedDataStream.call(this, chunk, done);
    return feed.call(this, chunk, done);
  };

  const write = SMTPStream.prototype._write;
  SMTPStream.prototype._write = function (this: Parser, chunk, encoding, next) {
    const conn = this.correioConnection;
    if (!conn?._server.options.correio?.rejectBareNewlines || this._dataMode || !chunk?.length) {
      if (chunk?.length) this.correioLastByte = chunk[chunk.length - 1];
      return write.call(this, chunk, encoding, next);
    }
    const bad = findBareNewline(chunk, this.correioLastByte);
    this.correioLastByte = chunk[chunk.length - 1];
    if (bad === -1) return write.call(this, chunk, encoding, next);
    // Commands before the bad line end still run, in order; then the refusal and the close.
    return write.call(this, chunk.subarray(0, bad), encoding, () => {
      conn.send(550, '5.5.2 Bare CR or LF received (RFC 5321 §2.3.8), closing connection');
      conn.close();
      next();
    });
  };
}

/**
 * Offset where the line holding a bare CR or LF starts being unsafe (the offending byte itself),
 * or -1. A CR at the very end of the chunk is judged with the next chunk (CRLF split across reads).
 */
export function findBareNewline(chunk: Buffer, previousByte?: number): number {
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    if (i === 0 && previousByte === 0x0d && b !== 0x0a) return 0;
    if (b === 0x0a && (i === 0 ? previousByte : chunk[i - 1]) !== 0x0d) return i;
    if (b === 0x0d && i + 1 < chunk.length && chunk[i + 1] !== 0x0a) return i;
  }
  return -1;
}
