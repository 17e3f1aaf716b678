import type { FetchItem } from '@correio/imap-protocol';
import type { FetchLineItem } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { type FetchOutcome, inPrefetchedBatches } from './fetch-batches.js';
import { fetchInBatches } from './fetch-general.js';
import { isCondstore } from './selected-context.js';

/** Items the store answers as finished text (fetchLines); anything else (bodies, BINARY) takes the general path. */
export const LINE_ITEMS = new Set<FetchItem['type']>(['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY', 'BODYSTRUCTURE', 'MODSEQ']);
/** Messages per fetchLines call: ~0.3–2 KB of text each, so a batch stays within a few megabytes. */
export const LINE_BATCH = 2000;
/** Line batches read ahead at once, each on its own pool connection (inPrefetchedBatches). */
const LINE_READS_IN_FLIGHT = 2;

/**
 * UIDs (ascending) cut into fetchLines batches of at most LINE_BATCH messages spanning at most
 * 4 × LINE_BATCH UIDs (the statement takes the sequence numbers as an array indexed by UID).
 */
export function lineBatches(uids: readonly number[]): number[][] {
  const out: number[][] = [];
  let start = 0;
  for (let i = 1; i <= uids.length; i++) {
    if (i === uids.length || i - start >= LINE_BATCH || (uids[i] as number) - (uids[start] as number) >= 4 * LINE_BATCH) {
      out.push(uids.slice(start, i));
      start = i;
    }
  }
  return out;
}

export function isLineFetch(items: readonly FetchItem[]): boolean {
  return items.every((i) => LINE_ITEMS.has(i.type));
}

/**
 * FETCH of metadata only (the full sync "UID FETCH 1:* (FLAGS ENVELOPE)", BODYSTRUCTURE, sizes):
 * the store returns each message's response text built from the row and the kept wire forms, and a
 * batch goes out as one write — no value tree, no encoding, no JSON per message. A batch with a
 * message whose forms are not kept yet goes through the general path (which computes and keeps them).
 */
export async function fetchLinesInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<FetchOutcome> {
  const store = ctx.deps.store;
  const withModseq = isCondstore(ctx) || changedSince !== undefined;
  const lineItems: FetchLineItem[] = items.filter((i) => i.type !== 'MODSEQ').map((i) => i.type as FetchLineItem);
  // MODSEQ goes last, once, also when implied (as buildFetchPieces does).
  if (withModseq) lineItems.push('MODSEQ');
  const request = { items: lineItems, utf8: ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2'), changedSince };
  return inPrefetchedBatches(
    lineBatches(uids),
    (batch) => {
      const whole = wholeRangeSeqs(mailbox, batch);
      return store.fetchLines(mailbox.accountId, mailbox.mailboxId, batch, whole ?? batch.map((uid) => mailbox.seqOf(uid)), {
        ...request,
        wholeRange: changedSince === undefined && whole !== undefined,
      });
    },
    async (batch, lines) => {
      if (lines.missing > 0) return 'fallback';
      if (lines.keywords) mailbox.announceKeywords(lines.keywords.split(' '), ctx.out);
      if (lines.flagsAsOf) mailbox.noteReportedRange(batch[0] as number, batch[batch.length - 1] as number, BigInt(lines.flagsAsOf));
      if (lines.reported) {
        for (const pair of lines.reported.split(',')) {
          const space = pair.indexOf(' ');
          mailbox.noteReported(Number(pair.slice(0, space)), BigInt(pair.slice(space + 1)));
        }
      }
      if (lines.text.length > 0) ctx.out.write(lines.text);
      await ctx.out.drained();
      return { written: lines.sent, gone: batch.length - lines.found };
    },
    (batch) => fetchInBatches(ctx, mailbox, batch, items, changedSince),
    LINE_READS_IN_FLIGHT,
  );
}

/**
 * When `batch` (ascending UIDs) is every message the session lists from its first UID to its last
 * (a full sync's batches), their sequence numbers, counted on from the first's: two lookups instead
 * of one binary search per message (which in a fresh process runs unoptimized: issue 11's cold
 * sync). Undefined otherwise.
 */
function wholeRangeSeqs(mailbox: SelectedMailbox, batch: readonly number[]): number[] | undefined {
  const first = mailbox.seqOf(batch[0] as number);
  if (first === 0 || mailbox.seqOf(batch[batch.length - 1] as number) - first + 1 !== batch.length) return undefined;
  const seqs = new Array<number>(batch.length);
  for (let i = 0; i < batch.length; i++) seqs[i] = first + i;
  return seqs;
}
