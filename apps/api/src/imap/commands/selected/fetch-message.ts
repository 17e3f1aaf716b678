import type { FetchItem, ImapValue, Partial, SectionSpec } from '@correio/imap-protocol';
import type { ImapMessageMeta, ImapStore } from '../../../mailbox-store/imap-store.types.js';
import { binaryRange, decodedSize, decodeStream } from './fetch-binary.js';
import { filterHeaderBlock, formatSection, sectionRange } from './fetch-section.js';
import { bodyStructureValue, envelopeValue } from './fetch-values.js';
import { formatInternalDate } from './selected-context.js';

/** A body item at most this large is read into memory and sent inline; larger ones are streamed. */
export const INLINE_BODY_BYTES = 64 * 1024;
/** Header blocks read for HEADER.FIELDS are small; this bounds a hostile one. */
const MAX_HEADER_BLOCK_BYTES = 4 * 1024 * 1024;

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

/** The pieces of one message's FETCH response, in the order the client asked (RFC 9051 §7.5.2). */
export async function buildFetchPieces(
  ctx: MessageFetchContext,
  items: readonly FetchItem[],
): Promise<FetchPiece[] | { error: string; code?: string }> {
  const { meta } = ctx;
  const pieces: FetchPiece[] = [];
  for (const item of items) {
    switch (item.type) {
      case 'UID':
        pieces.push(value('UID', meta.uid));
        break;
      case 'FLAGS':
        pieces.push(
          value(
            'FLAGS',
            (meta.flags ?? []).map((atom) => ({ atom })),
          ),
        );
        break;
      case 'INTERNALDATE':
        pieces.push(value('INTERNALDATE', { string: formatInternalDate(meta.internalDate ?? new Date(0)) }));
        break;
      case 'RFC822.SIZE':
        pieces.push(value('RFC822.SIZE', meta.size ?? 0));
        break;
      case 'ENVELOPE': {
        const envelope = meta.envelope ?? meta.structure?.envelope;
        if (!envelope) return { error: 'Message structure unavailable', code: 'UNAVAILABLE' };
        pieces.push(value('ENVELOPE', envelopeValue(envelope)));
        break;
      }
      case 'BODYSTRUCTURE':
      case 'BODY':
        if (!meta.structure) return { error: 'Message structure unavailable', code: 'UNAVAILABLE' };
        pieces.push(value(item.type, bodyStructureValue(meta.structure.body, item.type === 'BODYSTRUCTURE')));
        break;
      case 'MODSEQ':
        break; // added once at the end (also when implied)
      case 'RFC822':
        pieces.push(await bodyPiece(ctx, 'RFC822', { part: [] }));
        break;
      case 'RFC822.HEADER':
        pieces.push(await bodyPiece(ctx, 'RFC822.HEADER', { part: [], text: 'HEADER' }));
        break;
      case 'RFC822.TEXT':
        pieces.push(await bodyPiece(ctx, 'RFC822.TEXT', { part: [], text: 'TEXT' }));
        break;
      case 'BODY[]': {
        const name = `BODY[${formatSection(item.section)}]${item.partial ? `<${item.partial.offset}>` : ''}`;
        pieces.push(await bodyPiece(ctx, name, item.section, item.partial));
        break;
      }
      case 'BINARY[]':
      case 'BINARY.SIZE': {
        const piece = await binaryPiece(ctx, item);
        if ('error' in piece) return piece;
        pieces.push(piece);
        break;
      }
    }
  }
  if (ctx.withModseq) pieces.push(value('MODSEQ', [meta.modseq]));
  return pieces;
}

function value(name: string, v: ImapValue): FetchPiece {
  return { kind: 'value', name, value: v };
}

async function readAll(ctx: MessageFetchContext, start: number, end: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (end > start) for await (const chunk of ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, start, end)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** BODY[section]<partial> as bytes [start, end) of the raw message (RFC 9051 §6.4.5). A missing part is NIL. */
async function bodyPiece(ctx: MessageFetchContext, name: string, section: SectionSpec, partial?: Partial): Promise<FetchPiece> {
  const size = ctx.meta.size ?? 0;
  const range =
    section.part.length === 0 && section.text === undefined
      ? { start: 0, end: size }
      : ctx.meta.structure
        ? sectionRange(ctx.meta.structure, section, size)
        : undefined;
  if (!range) return value(name, null);
  if (range.fields) {
    const block = await readAll(ctx, range.start, Math.min(range.end, range.start + MAX_HEADER_BLOCK_BYTES));
    const filtered = filterHeaderBlock(block, range.fields.names, range.fields.isNot);
    return value(name, { literal: applyPartial(filtered, partial) });
  }
  let { start, end } = range;
  if (partial) {
    start = Math.min(start + partial.offset, end);
    end = Math.min(start + partial.length, end);
  }
  if (end - start <= INLINE_BODY_BYTES) return value(name, { literal: await readAll(ctx, start, end) });
  return {
    kind: 'stream',
    name,
    size: end - start,
    isBinary: false,
    read: () => ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, start, end),
  };
}

function applyPartial(bytes: Buffer, partial?: Partial): Buffer {
  if (!partial) return bytes;
  const start = Math.min(partial.offset, bytes.length);
  return bytes.subarray(start, Math.min(start + partial.length, bytes.length));
}

/** RFC 3516 BINARY[part]<partial> and BINARY.SIZE[part]: the part with its transfer encoding undone. */
async function binaryPiece(
  ctx: MessageFetchContext,
  item: Extract<FetchItem, { type: 'BINARY[]' | 'BINARY.SIZE' }>,
): Promise<FetchPiece | { error: string; code?: string }> {
  const structure = ctx.meta.structure;
  if (!structure) return { error: 'Message structure unavailable', code: 'UNAVAILABLE' };
  const found = binaryRange(structure, item.part, ctx.meta.size ?? 0);
  if ('error' in found) return found;
  const section = item.part.join('.');
  const raw = () => ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, found.start, found.end);
  if (item.type === 'BINARY.SIZE') {
    return value(`BINARY.SIZE[${section}]`, found.encoding ? await decodedSize(raw(), found.encoding) : found.end - found.start);
  }
  const name = `BINARY[${section}]${item.partial ? `<${item.partial.offset}>` : ''}`;
  const size = found.encoding ? await decodedSize(raw(), found.encoding) : found.end - found.start;
  let start = 0;
  let end = size;
  if (item.partial) {
    start = Math.min(item.partial.offset, size);
    end = Math.min(start + item.partial.length, size);
  }
  const read = () => decodeStream(raw(), found.encoding, start, end);
  if (end - start <= INLINE_BODY_BYTES) {
    const chunks: Buffer[] = [];
    for await (const chunk of read()) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    return value(name, { literal: bytes, isBinary: bytes.includes(0) });
  }
  return { kind: 'stream', name, size: end - start, isBinary: true, read };
}
