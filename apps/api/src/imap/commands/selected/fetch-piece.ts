import type { ImapValue } from '@correio/imap-protocol';
import type { ImapMessageMeta, ImapStore } from '../../../mailbox-store/imap-store.types.js';

/** A body item at most this large is read into memory and sent inline; larger ones are streamed. */
export const INLINE_BODY_BYTES = 64 * 1024;
/**
 * Streamed bodies are written in pieces of at most this size with the socket drained between them,
 * so a client that stops reading leaves about one piece in the session's output. They are read in
 * the store's own (larger) slices: a compressed blob is decompressed from its start for every
 * slice, so small reads would cost quadratic time.
 */
export const STREAM_CHUNK_BYTES = 256 * 1024;

/** The chunks of `source` cut to at most `size` bytes each (views, no copy). */
export async function* rechunk(source: AsyncIterable<Buffer>, size = STREAM_CHUNK_BYTES): AsyncIterable<Buffer> {
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += size) yield chunk.subarray(at, Math.min(at + size, chunk.length));
  }
}

/** One "NAME value" of a FETCH response: a value, or a literal streamed from the blob store. */
export type FetchPiece =
  | { kind: 'value'; name: string; value: ImapValue }
  | { kind: 'stream'; name: string; size: number; isBinary: boolean; read: () => AsyncIterable<Buffer> };

export interface MessageFetchContext {
  store: ImapStore;
  accountId: string;
  meta: ImapMessageMeta;
  /** The MODSEQ item is added (CONDSTORE enabled, or CHANGEDSINCE given). */
  withModseq: boolean;
  /** The whole message, when the batch read it already (small messages: one query per batch). */
  raw?: Buffer;
}

export function value(name: string, v: ImapValue): FetchPiece {
  return { kind: 'value', name, value: v };
}

export async function readAll(ctx: MessageFetchContext, start: number, end: number): Promise<Buffer> {
  if (ctx.raw) return ctx.raw.subarray(Math.max(0, start), Math.max(0, Math.min(end, ctx.raw.length)));
  const chunks: Buffer[] = [];
  if (end > start) for await (const chunk of ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, start, end)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
