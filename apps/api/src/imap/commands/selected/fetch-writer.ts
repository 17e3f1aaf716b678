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
  let text: Buffer[] = [Buffer.from(`* ${seq} FETCH (`)];
  pieces.forEach((p, i) => {
    const sep = i > 0 ? ' ' : '';
    if (p.kind === 'value') {
      text.push(Buffer.from(`${sep}${p.name} `), encodeValues([p.value], { utf8: isUtf8 }));
    } else {
      text.push(Buffer.from(`${sep}${p.name} ${p.isBinary ? '~' : ''}{${p.size}}\r\n`));
      segments.push(Buffer.concat(text), p.read);
      text = [];
    }
  });
  text.push(Buffer.from(')\r\n'));
  const prefix = segments.shift() as Buffer;
  const suffix = Buffer.concat(text);
  await out.untaggedStream(prefix, joinSegments(segments), suffix);
}

async function* joinSegments(segments: ReadonlyArray<Buffer | (() => AsyncIterable<Buffer>)>): AsyncIterable<Buffer> {
  for (const segment of segments) {
    if (Buffer.isBuffer(segment)) yield segment;
    else yield* segment();
  }
}
