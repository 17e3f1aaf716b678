import type { ImapValue } from '@correio/imap-protocol';
import type { ImapMessageMeta, ImapStore } from '../../../mailbox-store/imap-store.types.js';

/** A body item at most this large is read into memory and sent inline; larger ones are streamed. */
export const INLINE_BODY_BYTES = 64 * 1024;
/**
 * Streamed bodies are read (and written) in chunks of this size: the socket is drained between
 * chunks, so a client that stops reading makes the session hold at most about one chunk.
 */
export const STREAM_CHUNK_BYTES = 256 * 1024;

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
}

export function value(name: string, v: ImapValue): FetchPiece {
  return { kind: 'value', name, value: v };
}

export async function readAll(ctx: MessageFetchContext, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (end > start) for await (const chunk of ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, start, end)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
