import type { FetchItem } from '@correio/imap-protocol';
import type { FetchNeeds, ImapMessageMeta, ImapStore } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { type FetchOutcome, guard, inPrefetchedBatches } from './fetch-batches.js';
import { buildFetchPieces } from './fetch-message.js';
import { INLINE_BODY_BYTES } from './fetch-piece.js';
import { writeFetchResponse } from './fetch-writer.js';
import { isCondstore, no } from './selected-context.js';

/** Messages per fetchMeta call: a 1:* over 100k messages is read (and written) a batch at a time. */
export const FETCH_BATCH = 250;
/** Messages whose inline bodies are read ahead of the one being written (≤ 8 × 64 KiB held). */
const READ_AHEAD = 8;

function needsOf(items: readonly FetchItem[], setsSeen: boolean): FetchNeeds {
  const has = (...types: FetchItem['type'][]) => items.some((i) => types.includes(i.type));
  const bodies = items.some(
    (i) =>
      (i.type === 'BODY[]' && (i.section.part.length > 0 || i.section.text !== undefined)) ||
      i.type === 'BINARY[]' ||
      i.type === 'BINARY.SIZE',
  );
  return {
    flags: setsSeen || has('FLAGS'),
    internalDate: has('INTERNALDATE'),
    size: has('RFC822.SIZE', 'RFC822', 'RFC822.TEXT', 'BODY[]', 'BINARY[]', 'BINARY.SIZE'),
    envelope: has('ENVELOPE'),
    structure: bodies || has('BODYSTRUCTURE', 'BODY', 'RFC822.HEADER', 'RFC822.TEXT'),
  };
}

const BODY_ITEMS = new Set<FetchItem['type']>(['BODY[]', 'BINARY[]', 'BINARY.SIZE', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);
/** Bytes of small messages one batch may hold in memory at once (read in one query, not one per message). */
const BATCH_READ_BYTES = 4 * 1024 * 1024;

/**
 * The batch's small messages (each at most INLINE_BODY_BYTES, together at most BATCH_READ_BYTES)
 * read whole in one round trip: a FETCH 1:1000 BODY[] of ordinary mail otherwise costs one query
 * per message. Larger or unknown-size ones are read per message as before (streamed if large).
 */
async function readSmallMessages(store: ImapStore, accountId: string, metas: Map<number, ImapMessageMeta>): Promise<Map<string, Buffer>> {
  const small = [...metas.values()].filter((m) => m.size !== undefined && m.size <= INLINE_BODY_BYTES).map((m) => m.blobId);
  return small.length > 0 ? store.readMessages(accountId, small, { maxEach: INLINE_BODY_BYTES, maxTotal: BATCH_READ_BYTES }) : new Map();
}

/** RFC 9051 §6.4.5: BODY[...] (not PEEK), BINARY[...] (not PEEK), RFC822 and RFC822.TEXT set \Seen. */
function isSeenSetting(item: FetchItem): boolean {
  return ((item.type === 'BODY[]' || item.type === 'BINARY[]') && !item.peek) || item.type === 'RFC822' || item.type === 'RFC822.TEXT';
}

/**
 * The general FETCH path: any items, each message's response built from its metadata and (for
 * body sections) its bytes, FETCH_BATCH messages at a time. The fast paths fall back to it.
 */
export async function fetchInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<FetchOutcome> {
  const store = ctx.deps.store;
  const setsSeen = !mailbox.isReadOnly && items.some(isSeenSetting);
  const needs = needsOf(items, setsSeen);
  const withModseq = isCondstore(ctx) || changedSince !== undefined;
  const withFlags = items.some((i) => i.type === 'FLAGS');
  const readsBodies = items.some((i) => BODY_ITEMS.has(i.type));
  const isUtf8 = ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2');
  const batches: number[][] = [];
  for (let b = 0; b < uids.length; b += FETCH_BATCH) batches.push(uids.slice(b, b + FETCH_BATCH));

  const serve = async (batch: number[], found: ImapMessageMeta[]): Promise<FetchOutcome> => {
    let written = 0;
    let gone = 0;
    const metas = new Map<number, ImapMessageMeta>();
    for (const meta of found) metas.set(meta.uid, meta);
    const seenNow = setsSeen ? await markSeen(ctx, mailbox, metas) : new Set<number>();
    const raws = readsBodies ? await readSmallMessages(store, mailbox.accountId, metas) : undefined;
    // Each message's pieces (inline bodies read from the blob store) are built up to READ_AHEAD
    // messages ahead of the one being written, so the reads overlap; written strictly in order.
    const build = (uid: number) => {
      const meta = metas.get(uid);
      if (!meta) gone++;
      if (!meta || mailbox.seqOf(uid) === 0) return undefined;
      if (changedSince !== undefined && meta.modseq <= changedSince) return undefined;
      const own = seenNow.has(uid) && !withFlags ? [...items, { type: 'FLAGS' } as const] : items;
      const raw = raws?.get(meta.blobId);
      return buildFetchPieces({ store, accountId: mailbox.accountId, meta, withModseq, raw }, own).then((pieces) => ({ meta, pieces }));
    };
    const pending: (ReturnType<typeof build> | undefined)[] = [];
    for (let i = 0; i < batch.length; i++) {
      for (let j = pending.length; j < Math.min(batch.length, i + READ_AHEAD); j++) pending.push(guard(build(batch[j] as number)));
      const built = await pending[i];
      pending[i] = undefined;
      if (!built) continue;
      const { meta, pieces } = built;
      if ('error' in pieces) {
        await Promise.allSettled(pending.slice(i + 1));
        return no(pieces.error, pieces.code);
      }
      if (withFlags || seenNow.has(meta.uid)) {
        mailbox.noteReported(meta.uid, meta.modseq);
        mailbox.announceKeywords(meta.flags ?? [], ctx.out);
      }
      await writeFetchResponse(ctx.out, mailbox.seqOf(meta.uid), pieces, isUtf8);
      written++;
      // A client that stops reading holds the session here, not a batch of bodies in the socket buffer.
      await ctx.out.drained();
    }
    return { written, gone };
  };
  // The next batch's metadata is read while this one is written; the general path never falls back.
  return inPrefetchedBatches(
    batches,
    (batch) => store.fetchMeta(mailbox.accountId, mailbox.mailboxId, batch, needs),
    serve,
  );
}

/** Sets \Seen on the batch's unseen messages and updates their metas; returns the UIDs changed. */
async function markSeen(ctx: CommandContext, mailbox: SelectedMailbox, metas: Map<number, ImapMessageMeta>): Promise<Set<number>> {
  const unseen = [...metas.values()].filter((m) => !(m.flags ?? []).includes('\\Seen')).map((m) => m.uid);
  if (unseen.length === 0) return new Set();
  const result = await ctx.deps.store.storeFlags({
    accountId: mailbox.accountId,
    mailboxId: mailbox.mailboxId,
    uids: unseen,
    op: 'add',
    flags: ['\\Seen'],
  });
  const changed = new Set<number>();
  for (const c of result.changed) {
    const meta = metas.get(c.uid);
    if (!meta) continue;
    meta.flags = c.flags;
    meta.modseq = c.modseq;
    changed.add(c.uid);
    mailbox.noteOwnChange(c.modseq);
  }
  return changed;
}
