import { type ReceiverLimits, receiverLimits } from './limits';
import { ByteQueue } from './receiver-bytes';
import { readAnnouncement, readTag, scanLine } from './receiver-scan';

/**
 * Framing of client commands (RFC 9051 §2.2, §4.3): bytes in, whole commands out. A command is
 * one or more lines; a line ending in a literal announcement ({n}, {n+} RFC 7888, ~{n} RFC 3516
 * literal8) is followed by exactly n bytes and the command continues on the next line.
 *
 * The frame is structured, not parsed: `lines[i]` is the text before literal i (CRLF and the
 * announcement removed), `literals[i]` its bytes, and `lines` has one more entry than `literals`.
 * parse-command.ts turns a frame into a typed command.
 *
 * Pull-based: push() only buffers; next() returns one event at a time, so the session can switch
 * to raw-line mode (IDLE's DONE, AUTHENTICATE responses) between two events of one chunk.
 *
 * Refusals (limits.ts says why each limit exists):
 * - line over maxLineBytes: tagged BAD [TOOBIG], the rest of that line is dropped, framing goes on;
 * - synchronizing literal over a limit: tagged NO [TOOBIG] instead of "+", nothing to drop — the
 *   client sends no literal without "+" (RFC 9051 §7.5, RFC 7889 §3);
 * - non-synchronizing literal over a limit (RFC 7888 §4 leaves "read and discard, or close" to the
 *   server): read and dropped, then tagged BAD [TOOBIG] at the end of the command, when the
 *   session is authenticated and the literal is at most maxDiscardBytes; otherwise fatal
 *   (BYE [TOOBIG] and close) — an unauthenticated client gets no free bandwidth sink;
 * - parentheses deeper than maxNesting, or a command over maxCommandBytes: tagged BAD once the
 *   command has been read to its end.
 */

export interface FrameLiteral {
  data: Buffer;
  /** ~{n} literal8 (RFC 3516): may hold NUL and any octet; only APPEND accepts it. */
  isBinary: boolean;
}

export interface CommandFrame {
  /** The tag as read from the first line ('' when the line does not start with a valid tag). */
  tag: string;
  lines: Buffer[];
  literals: FrameLiteral[];
}

export type ReceiverEvent =
  | { type: 'command'; frame: CommandFrame }
  /** A synchronizing literal was accepted: the server must now send "+ Ready" (RFC 9051 §7.5). */
  | { type: 'continue'; tag: string }
  /** Raw-line mode (readRawLine): the next line as sent, CRLF removed. */
  | { type: 'line'; line: Buffer }
  /**
   * The command was refused while framing. Send `tag status [code] text` (or `* BAD` without a
   * tag); when isFatal, send `* BYE [code] text` and close — the stream cannot be resynchronised.
   */
  | { type: 'error'; tag?: string; status: 'BAD' | 'NO'; code?: 'TOOBIG' | 'LIMIT'; text: string; isFatal: boolean };

type Refusal = Omit<Extract<ReceiverEvent, { type: 'error' }>, 'type' | 'tag' | 'isFatal'>;

export class CommandReceiver {
  private readonly pending = new ByteQueue();
  private limits: ReceiverLimits;
  private isRawLine = false;
  private isSkippingLine = false;
  /** The command being framed, when it spans lines. */
  private lines: Buffer[] = [];
  private literals: FrameLiteral[] = [];
  private tag = '';
  private size = 0;
  private depth = 0;
  /** Set when the command is already refused: it is read to its end and then answered with this. */
  private doom: Refusal | undefined;
  /** A literal being read: its chunks, the bytes still expected, and whether it is dropped. */
  private literal: { chunks: Buffer[]; remaining: number; isBinary: boolean; isDiscarded: boolean } | undefined;
  private queued: ReceiverEvent[] = [];
  private isClosed = false;

  constructor(limits?: Partial<ReceiverLimits>) {
    this.limits = { ...receiverLimits({ isAuthenticated: false, appendLimit: 0 }), ...limits };
  }

  /** New limits, e.g. after LOGIN (receiverLimits({isAuthenticated:true, appendLimit})). Applies to the next literal. */
  setLimits(limits: ReceiverLimits): void {
    this.limits = limits;
  }

  /** The next complete line is returned raw as a 'line' event (IDLE DONE, AUTHENTICATE responses). */
  readRawLine(): void {
    this.isRawLine = true;
  }

  /**
   * Bytes held in memory: unframed input plus the part of the current command already read
   * (announced literal bytes not yet received are not counted). The session pauses the socket on it.
   */
  get bufferedBytes(): number {
    let held = this.pending.length;
    for (const line of this.lines) held += line.length;
    for (const literal of this.literals) held += literal.data.length;
    for (const chunk of this.literal?.chunks ?? []) held += chunk.length;
    return held;
  }

  push(chunk: Buffer): void {
    if (this.isClosed || chunk.length === 0) return;
    this.pending.push(chunk);
  }

  /** The next event, or undefined when more bytes are needed. After a fatal error nothing more is returned. */
  next(): ReceiverEvent | undefined {
    while (!this.isClosed) {
      const queued = this.queued.shift();
      if (queued) return queued;
      if (this.literal) {
        if (!this.readLiteral()) return undefined;
        continue;
      }
      const line = this.takeLine();
      if (line === undefined) return undefined;
      if (line === null) continue; // a too-long line was refused (event queued)
      const event = this.onLine(line);
      if (event) return event;
    }
    return this.queued.shift();
  }

  /** Returns true when the literal is complete. */
  private readLiteral(): boolean {
    const literal = this.literal;
    if (!literal) return true;
    const take = Math.min(literal.remaining, this.pending.length);
    if (take > 0) {
      const parts = this.pending.takeChunks(take);
      if (!literal.isDiscarded) literal.chunks.push(...parts);
      literal.remaining -= take;
    }
    if (literal.remaining > 0) return false;
    if (!literal.isDiscarded) this.literals.push({ data: Buffer.concat(literal.chunks), isBinary: literal.isBinary });
    this.literal = undefined;
    return true;
  }

  /** One line without CRLF; undefined = need more bytes; null = a line was dropped for its length. */
  private takeLine(): Buffer | null | undefined {
    const lf = this.pending.indexOfLf();
    if (lf < 0) {
      if (this.pending.length > this.limits.maxLineBytes && !this.isSkippingLine) {
        // RFC 9051 §4: the server may refuse; the rest of the line is dropped up to its LF.
        this.refuseLongLine(this.pending.peek(128));
        this.isSkippingLine = true;
      }
      if (this.isSkippingLine) {
        this.pending.clear();
        return this.queued.length > 0 ? null : undefined;
      }
      return undefined;
    }
    const withLf = this.pending.take(lf + 1);
    const line = withLf.subarray(0, lf > 0 && withLf[lf - 1] === 0x0d ? lf - 1 : lf);
    if (this.isSkippingLine) {
      this.isSkippingLine = false;
      return null;
    }
    if (line.length > this.limits.maxLineBytes) {
      this.refuseLongLine(line);
      return null;
    }
    return line;
  }

  private refuseLongLine(head: Buffer): void {
    // A raw line (AUTHENTICATE response, IDLE's DONE) carries no tag: the session answers for its
    // command, and the line after it is a command again.
    const tag = this.isRawLine ? '' : this.tag || readTag(head);
    this.isRawLine = false;
    this.resetCommand();
    this.queued.push(errorEvent(tag, { status: 'BAD', code: 'TOOBIG', text: 'Command line too long' }));
  }

  private onLine(line: Buffer): ReceiverEvent | undefined {
    if (this.isRawLine) {
      this.isRawLine = false;
      return { type: 'line', line: Buffer.from(line) };
    }
    if (this.lines.length === 0) this.tag = readTag(line);
    this.size += line.length + 2;
    const scan = scanLine(line, this.depth);
    this.depth = scan.depth;
    if (!this.doom && scan.maxDepth > this.limits.maxNesting) {
      this.doom = { status: 'BAD', text: 'Too many nested parentheses' };
    }
    if (!this.doom && this.size > this.limits.maxCommandBytes) {
      // Many short lines joined by empty literals would otherwise escape the per-line limit.
      this.doom = { status: 'BAD', code: 'TOOBIG', text: 'Command too long' };
    }
    const announced = scan.isInQuote ? null : readAnnouncement(line);
    if (!announced) {
      this.lines.push(Buffer.from(line));
      return this.finishCommand();
    }
    const { isBinary, isSync, size } = announced;
    this.lines.push(Buffer.from(line.subarray(0, announced.start)));
    if (!this.doom) this.doom = this.checkLiteral(size, isSync);
    if (this.doom) {
      if (isSync) {
        // RFC 9051 §4.3 / §7.5: the client waits for "+" and takes a tagged answer instead as the
        // end of the command, so nothing of the literal is sent and nothing needs dropping.
        return this.failCommand(false);
      }
      if (size > this.limits.maxDiscardBytes) {
        // RFC 7888 §4: a too-big non-synchronizing literal is on its way; reading it only to drop
        // it is not worth it above maxDiscardBytes (or before authentication): close instead.
        this.doom = { status: 'BAD', code: 'TOOBIG', text: 'Literal too big' };
        return this.failCommand(true);
      }
      this.literal = { chunks: [], remaining: size, isBinary, isDiscarded: true };
      return undefined;
    }
    this.size += size;
    this.literal = { chunks: [], remaining: size, isBinary, isDiscarded: false };
    return isSync ? { type: 'continue', tag: this.tag } : undefined;
  }

  private checkLiteral(size: number, isSync: boolean): Refusal | undefined {
    if (size > this.limits.maxLiteralBytes || this.size + size > this.limits.maxCommandBytes) {
      // RFC 7889 §3 (APPENDLIMIT) and RFC 9051 §7.1 TOOBIG: NO for a synchronizing literal, which
      // is refused before it is sent; BAD for a non-synchronizing one (RFC 7888 §4).
      return { status: isSync ? 'NO' : 'BAD', code: 'TOOBIG', text: 'Literal too big' };
    }
    if (!isSync && size > this.limits.maxNonSyncLiteralBytes) {
      return { status: 'BAD', code: 'TOOBIG', text: 'Non-synchronizing literal over 4096 bytes (LITERAL-)' };
    }
    return undefined;
  }

  private finishCommand(): ReceiverEvent {
    if (this.doom) return this.failCommand(false);
    const frame: CommandFrame = { tag: this.tag, lines: this.lines, literals: this.literals };
    this.resetCommand();
    return { type: 'command', frame };
  }

  private failCommand(isFatal: boolean): ReceiverEvent {
    const doom = this.doom ?? { status: 'BAD', text: 'Invalid command' };
    const event = { ...errorEvent(this.tag, doom), isFatal };
    this.resetCommand();
    if (isFatal) {
      this.isClosed = true;
      this.pending.clear();
    }
    return event;
  }

  private resetCommand(): void {
    this.lines = [];
    this.literals = [];
    this.tag = '';
    this.size = 0;
    this.depth = 0;
    this.doom = undefined;
    this.literal = undefined;
  }
}

function errorEvent(tag: string, refusal: Refusal): Extract<ReceiverEvent, { type: 'error' }> {
  return { type: 'error', ...(tag ? { tag } : {}), ...refusal, isFatal: false };
}
