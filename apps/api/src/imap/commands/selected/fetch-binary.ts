import type { MessageStructure } from '@correio/imap-protocol';
import { findPart } from './fetch-section.js';

/**
 * RFC 3516 BINARY: a part's content with its Content-Transfer-Encoding undone, decoded chunk by
 * chunk as it is read from the blob store (a large attachment is never held whole). The size of
 * the decoded content (needed before the literal is written) costs one extra decoding pass.
 */

export type DecodableEncoding = 'base64' | 'quoted-printable';

export function binaryRange(
  structure: MessageStructure,
  path: readonly number[],
  messageSize: number,
): { start: number; end: number; encoding?: DecodableEncoding } | { error: string; code?: string } {
  if (path.length === 0) return { start: 0, end: messageSize };
  const part = findPart(structure.body, path);
  if (!part) return { error: 'No such message part', code: 'NONEXISTENT' };
  const range = { start: part.bodyStart, end: part.bodyEnd };
  if (part.encoding === 'base64' || part.encoding === 'quoted-printable') return { ...range, encoding: part.encoding };
  if (['7bit', '8bit', 'binary'].includes(part.encoding)) return range;
  return { error: `Unknown Content-Transfer-Encoding ${part.encoding}`, code: 'UNKNOWN-CTE' };
}

export async function decodedSize(raw: AsyncIterable<Buffer>, encoding: DecodableEncoding): Promise<number> {
  let size = 0;
  for await (const chunk of decodeChunks(raw, encoding)) size += chunk.length;
  return size;
}

/** Decoded bytes [start, end) of the content. Without an encoding, the raw bytes. */
export async function* decodeStream(
  raw: AsyncIterable<Buffer>,
  encoding: DecodableEncoding | undefined,
  start: number,
  end: number,
): AsyncIterable<Buffer> {
  let pos = 0;
  const source = encoding ? decodeChunks(raw, encoding) : raw;
  for await (const chunk of source) {
    const from = Math.max(start - pos, 0);
    const to = Math.min(end - pos, chunk.length);
    if (to > from) yield chunk.subarray(from, to);
    pos += chunk.length;
    if (pos >= end) return;
  }
}

async function* decodeChunks(raw: AsyncIterable<Buffer>, encoding: DecodableEncoding): AsyncIterable<Buffer> {
  const decoder = encoding === 'base64' ? new Base64Decoder() : new QuotedPrintableDecoder();
  for await (const chunk of raw) {
    const out = decoder.push(chunk);
    if (out.length > 0) yield out;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

const BASE64_CHAR = /[^A-Za-z0-9+/]/g;

/** RFC 2045 §6.8: characters outside the alphabet are ignored; decoded in groups of 4. */
class Base64Decoder {
  private carry = '';
  push(chunk: Buffer): Buffer {
    const text = this.carry + chunk.toString('latin1').replace(BASE64_CHAR, '');
    const whole = text.length - (text.length % 4);
    this.carry = text.slice(whole);
    return Buffer.from(text.slice(0, whole), 'base64');
  }
  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    return Buffer.from(rest, 'base64');
  }
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** RFC 2045 §6.7: "=XX" is a byte, "=" at a line end is a soft line break; a split escape waits for the next chunk. */
class QuotedPrintableDecoder {
  private carry = Buffer.alloc(0);
  push(chunk: Buffer): Buffer {
    const input = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const out = Buffer.allocUnsafe(input.length);
    let w = 0;
    let i = 0;
    while (i < input.length) {
      const b = input[i] as number;
      if (b !== 0x3d) {
        out[w++] = b;
        i++;
        continue;
      }
      if (i + 2 >= input.length) break; // incomplete escape: keep for the next chunk
      const next = input.subarray(i + 1, i + 3).toString('latin1');
      if (next === '\r\n') i += 3;
      else if (next[0] === '\n') i += 2;
      else if (HEX.test(next)) {
        out[w++] = Number.parseInt(next, 16);
        i += 3;
      } else {
        out[w++] = b; // a stray "=" is kept as it is (RFC 2045 §6.7 note 1)
        i++;
      }
    }
    this.carry = Buffer.from(input.subarray(i));
    return out.subarray(0, w);
  }
  end(): Buffer {
    const rest = this.carry;
    this.carry = Buffer.alloc(0);
    // A message ending in "=" or "=X": the soft break is dropped, a half escape kept.
    return rest.length > 0 && rest[0] === 0x3d && (rest.length === 1 || rest[1] === 0x0a || rest[1] === 0x0d) ? Buffer.alloc(0) : rest;
  }
}
