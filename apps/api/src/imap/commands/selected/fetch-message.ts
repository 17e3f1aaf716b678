import {
  applyPartial,
  bodyStructureValue,
  envelopeValue,
  type FetchItem,
  filterHeaderFields,
  formatDateTime,
  type Partial,
  type SectionSpec,
  sectionRange,
} from '@correio/imap-protocol';
import { binaryPiece } from './fetch-binary.js';
import { type FetchPiece, INLINE_BODY_BYTES, type MessageFetchContext, readAll, rechunk, value } from './fetch-piece.js';

/** Header blocks read for HEADER.FIELDS are small; this bounds a hostile one. */
const MAX_HEADER_BLOCK_BYTES = 4 * 1024 * 1024;

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
        pieces.push(value('INTERNALDATE', { string: formatDateTime(meta.internalDate ?? new Date(0)) }));
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

/** "1.2.HEADER.FIELDS (DATE FROM)": the section as echoed in the response (RFC 9051 §7.5.2). */
export function formatSection(section: SectionSpec): string {
  const parts = section.part.map(String);
  if (section.text) parts.push(section.fields ? `${section.text} (${section.fields.join(' ')})` : section.text);
  return parts.join('.');
}

/**
 * BODY[section]<partial> as bytes of the raw message (RFC 9051 §6.4.5): small ones inline, large
 * ones streamed straight from the blob store. A part that does not exist is an empty string.
 */
async function bodyPiece(ctx: MessageFetchContext, name: string, section: SectionSpec, partial?: Partial): Promise<FetchPiece> {
  const size = ctx.meta.size ?? 0;
  const isWhole = section.part.length === 0 && section.text === undefined;
  const range = isWhole ? { start: 0, end: size } : ctx.meta.structure ? sectionRange(ctx.meta.structure, section) : null;
  if (!range) return value(name, { literal: Buffer.alloc(0) });
  if (range.headerFields) {
    const block = await readAll(ctx, range.start, Math.min(range.end, range.start + MAX_HEADER_BLOCK_BYTES));
    const filtered = filterHeaderFields(block, range.headerFields.fields, range.headerFields.not);
    const slice = applyPartial(filtered.length, partial);
    return value(name, { literal: filtered.subarray(slice.start, slice.end) });
  }
  const slice = applyPartial(range.end - range.start, partial);
  const start = range.start + slice.start;
  const end = range.start + slice.end;
  if (end - start <= INLINE_BODY_BYTES) return value(name, { literal: await readAll(ctx, start, end) });
  return {
    kind: 'stream',
    name,
    size: end - start,
    isBinary: false,
    read: () => rechunk(ctx.store.readBytes(ctx.accountId, ctx.meta.blobId, start, end)),
  };
}
