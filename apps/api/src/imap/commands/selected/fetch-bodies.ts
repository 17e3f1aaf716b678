import type { FetchItem } from '@correio/imap-protocol';
import type { FetchBody, FetchBodyStream, FetchLineItem } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { type FetchOutcome, guard } from './fetch-batches.js';
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
 * FETCH BODY.PEEK[] a batch at a time: one statement per batch reads its small messages as stored
 * (binary COPY, no hex text) with the text of the other items, and each response goes out as soon
 * as its row has arrived (the store hands out rows while the statement runs, the bytes as views of
 * what the database connection read: nothing is joined or copied on the way to the client). The
 * next batch's statement runs meanwhile. Large messages (and small ones past the batch's byte
 * budget) are streamed from the blob store as before, so a large message is never held whole.
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
  // CHANGEDSINCE is rare here: the general path answers those batches (it leaves out the unchanged).
  const open = (b: number) =>
    b < batches.length && changedSince === undefined
      ? guard(
          store.fetchBodies(
            mailbox.accountId,
            mailbox.mailboxId,
            batches[b] as number[],
            (batches[b] as number[]).map((uid) => mailbox.seqOf(uid)),
            request,
          ),
        )
      : undefined;
  let isStopped = false;
  // No statement of this session is left running behind its completion: on a failure or a tagged
  // answer the one in flight is waited for (its rows are dropped).
  const settle = async (p: Promise<FetchBodyStream | undefined> | undefined) => {
    isStopped = true; // a statement not started yet is not started
    await p?.then((s) => s?.settled).catch(() => {});
  };
  let written = 0;
  let gone = 0;
  let next: Promise<FetchBodyStream | undefined> | undefined = open(0);
  try {
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b] as number[];
      const pending = next;
      // The next batch's statement starts once this one's has been read (as before streaming): two
      // COPYs at once competed for the CPU with the one being written.
      const stream = pending ? await pending : undefined;
      const after = b + 1;
      next = stream && after < batches.length ? guard(stream.settled.then(() => (isStopped ? undefined : open(after)))) : open(after);
      const outcome = stream
        ? await writeBodies(ctx, mailbox, batch, stream, items)
        : await fetchInBatches(ctx, mailbox, batch, items, changedSince);
      if ('status' in outcome) {
        await settle(next);
        return outcome;
      }
      written += outcome.written;
      gone += outcome.gone;
    }
  } catch (err) {
    await settle(next);
    throw err;
  }
  return { written, gone };
}

/**
 * Responses held before they go to the writer together (one writev): each database read is ~64 KiB,
 * and a write per read cost ~240 system calls and client wake-ups per 15 MB FETCH.
 */
const WRITE_BYTES = 256 * 1024;

/**
 * Responses of whole rows held for the next write: the text around each body and the body's pieces
 * (views), WRITE_BYTES at a time. The per-row formatting is this small synchronous class rather
 * than the async loop's body: V8 optimizes it while a young process's first FETCHes run, on a
 * compiler thread competing for the same cores, and the async function it was inlined into was the
 * costliest of the body path's compiles (bench/README "body12").
 */
class HeldResponses {
  private pieces: (string | Buffer)[] = [];
  bytes = 0;
  /** Text not held yet: a response's tail, joined with the next one's head. */
  private text = '';
  written = 0;
  lastUid = 0;

  /**
   * Holds rows[from…] whose bytes came with the batch; returns the index of the first row it cannot
   * answer from its fields (a kept form missing, or a body to stream), or rows.length.
   */
  holdInline(rows: readonly FetchBody[], from: number): number {
    for (let i = from; i < rows.length; i++) {
      const r = rows[i] as FetchBody;
      const data = r.data;
      if (r.before === null || r.after === null || data === null) return i;
      let size = 0;
      for (let k = 0; k < data.length; k++) size += (data[k] as Buffer).length;
      this.text += `* ${r.seq} FETCH (${r.before ? `${r.before} ` : ''}BODY[] {${size}}\r\n`;
      this.hold(this.text);
      for (let k = 0; k < data.length; k++) this.hold(data[k] as Buffer);
      this.text = r.after ? ` ${r.after})\r\n` : ')\r\n';
      this.written++;
      this.lastUid = r.uid;
    }
    return rows.length;
  }

  /** The text not held yet, returned (for a response written another way) and forgotten. */
  takeText(): string {
    const text = this.text;
    this.text = '';
    return text;
  }

  /** Everything held, text included, to the writer (one writev: SessionWriter corks a tick). */
  flush(out: CommandContext['out']): void {
    if (this.text) this.hold(this.takeText());
    for (const piece of this.pieces) out.write(piece);
    this.pieces = [];
    this.bytes = 0;
  }

  private hold(piece: string | Buffer): void {
    this.pieces.push(piece);
    this.bytes += piece.length;
  }
}

/**
 * One batch's responses as their rows arrive: the text around the body and the body's pieces go to
 * the session's writer as they are (views, never joined), WRITE_BYTES at a time. After each write
 * the writer's backpressure is waited for; the statement does not wait meanwhile (its rows queue,
 * bounded by the batch's byte budget), so a client that stops reading never holds a database
 * connection.
 */
async function writeBodies(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  batch: number[],
  stream: FetchBodyStream,
  items: FetchItem[],
): Promise<FetchOutcome> {
  const held = new HeldResponses();
  try {
    for await (const rows of stream) {
      for (let i = held.holdInline(rows, 0); i < rows.length; i = held.holdInline(rows, i + 1)) {
        const r = rows[i] as FetchBody;
        if (r.before === null || r.after === null) {
          // A kept form missing (rare): the general path, which fills them in, answers the rest of the batch.
          held.flush(ctx.out);
          const rest = batch.filter((uid) => uid > held.lastUid);
          const tally = await fetchInBatches(ctx, mailbox, rest, items);
          if ('status' in tally) return tally;
          return { written: held.written + tally.written, gone: batch.length - rest.length - held.written + tally.gone };
        }
        await streamBody(ctx, mailbox, r, held);
      }
      if (held.bytes >= WRITE_BYTES) {
        held.flush(ctx.out);
        await ctx.out.drained();
      }
    }
  } finally {
    // Whole responses held go out before whatever ends the command (its tagged answer included).
    held.flush(ctx.out);
    await stream.settled;
  }
  return { written: held.written, gone: batch.length - held.written };
}

/** A body not in the batch (large, or past its byte budget), streamed from the blob store after what is held. */
async function streamBody(ctx: CommandContext, mailbox: SelectedMailbox, r: FetchBody, held: HeldResponses): Promise<void> {
  const head = `${held.takeText()}* ${r.seq} FETCH (${r.before ? `${r.before} ` : ''}BODY[] {${r.size}}\r\n`;
  held.flush(ctx.out);
  const failure: { error?: unknown } = {};
  const read = () => rechunk(ctx.deps.store.readBytes(mailbox.accountId, r.blobId, 0, r.size));
  await ctx.out.untaggedStream(
    Buffer.from(head),
    joinSegments([read], [r.size], failure),
    Buffer.from(`${r.after ? ` ${r.after}` : ''})\r\n`),
  );
  if (failure.error !== undefined) throw failure.error;
  held.written++;
  held.lastUid = r.uid;
}
