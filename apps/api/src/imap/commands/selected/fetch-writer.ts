import { encodeValues, type ImapValue } from '@correio/imap-protocol';
import type { ResponseWriter } from '../../command-context.js';
import type { FetchPiece } from './fetch-piece.js';

/**
 * Writes one "* n FETCH (...)" response. Without a streamed piece it is one untaggedValues call;
 * with streamed pieces the response is cut into bytes before the first literal's data (prefix),
 * the literals' data with whatever lies between them (body, read chunk by chunk with backpressure),
 * and the bytes after the last one (suffix) — so several large parts still never sit in memory.
 */
export async function writeFetchResponse(out: ResponseWriter, seq: number, pieces: readonly FetchPiece[], isUtf8: boolean): Promise<void> {
  if (pieces.every((p) => p.kind === 'value')) {
    const list: ImapValue[] = [];
    for (const p of pieces) if (p.kind === 'value') list.push({ atom: p.name }, p.value);
    out.untaggedValues([seq, { atom: 'FETCH' }, list]);
    return;
  }
  type Segment = Buffer | (() => AsyncIterable<Buffer>);
  const segments: Segment[] = [];
  const sizes: number[] = [];
  let text: Buffer[] = [Buffer.from(`* ${seq} FETCH (`)];
  pieces.forEach((p, i) => {
    const sep = i > 0 ? ' ' : '';
    if (p.kind === 'value') {
      text.push(Buffer.from(`${sep}${p.name} `), encodeValues([p.value], { utf8: isUtf8 }));
    } else {
      text.push(Buffer.from(`${sep}${p.name} ${p.isBinary ? '~' : ''}{${p.size}}\r\n`));
      segments.push(Buffer.concat(text), p.read);
      sizes.push(p.size);
      text = [];
    }
  });
  text.push(Buffer.from(')\r\n'));
  const prefix = segments.shift() as Buffer;
  const suffix = Buffer.concat(text);
  const failure: { error?: unknown } = {};
  await out.untaggedStream(prefix, joinSegments(segments, sizes, failure), suffix);
  if (failure.error !== undefined) throw failure.error;
}

/**
 * The streamed literals with the bytes between them. A literal's size is on the wire before its
 * data, so if reading fails part-way the rest is padded with spaces to keep the client's framing
 * (RFC 9051 §4.3) and the error is raised after the response ends (FETCH then answers NO).
 */
export async function* joinSegments(
  segments: ReadonlyArray<Buffer | (() => AsyncIterable<Buffer>)>,
  sizes: readonly number[],
  failure: { error?: unknown },
): AsyncIterable<Buffer> {
  let streamIndex = 0;
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) {
      yield segment;
      continue;
    }
    const size = sizes[streamIndex++] as number;
    let sent = 0;
    try {
      if (failure.error === undefined) {
        for await (const chunk of segment()) {
          const part = chunk.length > size - sent ? chunk.subarray(0, size - sent) : chunk;
          sent += part.length;
          yield part;
          if (sent >= size) break;
        }
      }
    } catch (err) {
      failure.error = err;
    }
    if (sent < size) {
      failure.error ??= new Error('message shorter than its stored size');
      for (let left = size - sent; left > 0; left -= 65536) yield Buffer.alloc(Math.min(left, 65536), 0x20);
    }
  }
}
