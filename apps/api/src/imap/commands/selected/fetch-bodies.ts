import type { FetchItem } from '@correio/imap-protocol';
import type { FetchLineItem } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { type FetchOutcome, inPrefetchedBatches } from './fetch-batches.js';
import { FETCH_BATCH, fetchInBatches } from './fetch-general.js';
import { LINE_ITEMS, lineBatches } from './fetch-lines.js';
import { rechunk } from './fetch-piece.js';
import { joinSegments } from './fetch-writer.js';
import { isCondstore } from './selected-context.js';

/**
 * The body fast path's shape: one BODY.PEEK[] of the whole message (no section, no partial; PEEK,
 * so no \Seen to set) among items fetchLines answers, without FLAGS (whose keyword bookkeeping
 * the general path keeps) — the download of new mail and the benchmark's FETCH 1:1000 BODY.PEEK[].
 */
export function isBodyFetch(items: readonly FetchItem[]): boolean {
  let bodies = 0;
  for (const i of items) {
    if (i.type === 'BODY[]') {
      if (!i.peek || i.partial || i.section.part.length > 0 || i.section.text !== undefined) return false;
      bodies++;
    } else if (!LINE_ITEMS.has(i.type) || i.type === 'FLAGS') return false;
  }
  return bodies === 1;
}

/**
 * The body path reads messages up to this size with the batch (one statement) and streams larger
 * ones slice by slice: a 300 KB attachment read on its own cost a round trip each (10 of 200
 * messages of the benchmark's corpus were most of its time), while 1 MiB in memory for a moment is
 * no risk; larger messages are never held whole.
 */
const BODY_BATCH_INLINE_BYTES = 1024 * 1024;
/** Bytes of messages one body batch holds at most: a session holds twice this at most (the next batch is read meanwhile), also for a client that stops reading. */
const BODY_BATCH_READ_BYTES = 4 * 1024 * 1024;

/**
 * FETCH BODY.PEEK[] a batch at a time: one statement reads the batch's small messages as stored
 * (binary COPY, no hex text) with the text of the other items; each batch goes out as one write.
 * Large messages (and small ones past the batch's byte budget) are streamed from the blob store
 * as before, so a large message is never held whole.
 */
export async function fetchBodiesInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<FetchOutcome> {
  const store = ctx.deps.store;
  const withModseq = isCondstore(ctx) || changedSince !== undefined;
  const at = items.findIndex((i) => i.type === 'BODY[]');
  const lineItems = (list: FetchItem[]) => list.filter((i) => i.type !== 'MODSEQ').map((i) => i.type as FetchLineItem);
  const before = lineItems(items.slice(0, at));
  const after = lineItems(items.slice(at + 1));
  if (withModseq) after.push('MODSEQ');
  const request = {
    before,
    after,
    utf8: ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2'),
    inlineMax: BODY_BATCH_INLINE_BYTES,
    batchMax: BODY_BATCH_READ_BYTES,
  };
  const batches: number[][] = [];
  for (let b = 0; b < uids.length; b += FETCH_BATCH) batches.push(...lineBatches(uids.slice(b, b + FETCH_BATCH)));
  return inPrefetchedBatches(
    batches,
    (batch) =>
      store.fetchBodies(
        mailbox.accountId,
        mailbox.mailboxId,
        batch,
        batch.map((uid) => mailbox.seqOf(uid)),
        request,
      ),
    async (batch, rows) => {
      // CHANGEDSINCE and kept forms missing are rare here: the general path handles those batches.
      if (changedSince !== undefined || rows.some((r) => r.before === null || r.after === null)) return 'fallback';
      let out: Buffer[] = [];
      for (const r of rows) {
        const head = `* ${r.seq} FETCH (${r.before ? `${r.before} ` : ''}BODY[] {${r.data ? r.data.length : r.size}}\r\n`;
        const tail = `${r.after ? ` ${r.after}` : ''})\r\n`;
        if (r.data) {
          out.push(Buffer.from(head), r.data, Buffer.from(tail));
          continue;
        }
        if (out.length > 0) ctx.out.write(Buffer.concat(out));
        out = [];
        const failure: { error?: unknown } = {};
        const read = () => rechunk(store.readBytes(mailbox.accountId, r.blobId, 0, r.size));
        await ctx.out.untaggedStream(Buffer.from(head), joinSegments([read], [r.size], failure), Buffer.from(tail));
        if (failure.error !== undefined) throw failure.error;
      }
      if (out.length > 0) ctx.out.write(Buffer.concat(out));
      await ctx.out.drained();
      return { written: rows.length, gone: batch.length - rows.length };
    },
    (batch) => fetchInBatches(ctx, mailbox, batch, items, changedSince),
  );
}
