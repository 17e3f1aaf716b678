import { applyPartial, binarySize, decodeBinary, type FetchItem, findPart, type MessageStructure } from '@correio/imap-protocol';
import { type FetchPiece, INLINE_BODY_BYTES, type MessageFetchContext, readAll, rechunk, value } from './fetch-piece.js';

/**
 * RFC 3516 BINARY[part]<partial> and BINARY.SIZE[part]: a part's content with its
 * Content-Transfer-Encoding undone. Parts up to STREAM_DECODE_BYTES are read whole and decoded by
 * the lib (decodeBinary / binarySize); larger ones are decoded chunk by chunk as they are read from
 * the blob store, so a large attachment is never held whole — the decoded size (needed before the
 * literal) then costs one extra decoding pass.
 */

/** Encoded parts above this are decoded as a stream. */
const STREAM_DECODE_BYTES = 1024 * 1024;

export type DecodableEncoding = 'base64' | 'quoted-printable';

type BinaryItem = Extract<FetchItem, { type: 'BINARY[]' | 'BINARY.SIZE' }>;
type Failure = { error: string; code?: string };

export async function binaryPiece(ctx: MessageFetchContext, item: BinaryItem): Promise<FetchPiece | Failure> {
  const structure = ctx.meta.structure;
  if (!structure) return { error: 'Message structure unavailable', code: 'UNAVAILABLE' };
  const found = binaryRange(structure, item.part, ctx.meta.size ?? 0);
  if ('error' in found) return found;
  const section = item.part.join('.');
  const name =
    item.type === 'BINARY.SIZE' ? `BINARY.SIZE[${section}]` : `BINARY[${section}]${item.partial ? `<${item.partial.offset}>` : ''}`;
  if (found.end - found.start <= STREAM_DECODE_BYTES) {
    const raw = await readAll(ctx, found.start, found.end);
    if (item.type === 'BINARY.SIZE') {
      const size = binarySize(raw, found.encoding ?? 'binary');
      return size.ok ? value(name, size.size) : cteFailure(found.encoding);
    }
    const decoded = decodeBinary(raw, found.encoding ?? 'binary');
    if (!decoded.ok) return cteFailure(found.encoding);
    const slice = applyPartial(decoded.data.length, item.partial);
    const bytes = decoded.data.subarray(slice.start, slice.end);
    return value(name, { literal: bytes, isBinary: bytes.includes(0) });
  }
  const raw = () => ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, found.start, found.end);
  const size = found.encoding ? await decodedSize(raw(), found.encoding) : found.end - found.start;
  if (item.type === 'BINARY.SIZE') return value(name, size);
  const slice = applyPartial(size, item.partial);
  const read = () => rechunk(decodeStream(raw(), found.encoding, slice.start, slice.end));
  if (slice.end - slice.start <= INLINE_BODY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of read()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    return value(name, { literal: bytes, isBinary: bytes.includes(0) });
  }
  return { kind: 'stream', name, size: slice.end - slice.start, isBinary: true, read };
}

const cteFailure = (encoding: string | undefined): Failure => ({
  error: `Unknown Content-Transfer-Encoding ${encoding ?? ''}`.trim(),
  code: 'UNKNOWN-CTE',
});

export function binaryRange(
  structure: MessageStructure,
  path: number[],
  messageSize: number,
): { start: number; end: number; encoding?: DecodableEncoding } | Failure {
  if (path.length === 0) return { start: 0, end: messageSize };
  const part = findPart(structure, path);
  if (!part) return { error: 'No such message part', code: 'NONEXISTENT' };
  const range = { start: part.bodyStart, end: part.bodyEnd };
  if (part.encoding === 'base64' || part.encoding === 'quoted-printable') return { ...range, encoding: part.encoding };
  if (['7bit', '8bit', 'binary', ''].includes(part.encoding)) return range;
  return cteFailure(part.encoding);
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
