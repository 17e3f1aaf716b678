import type { FetchItem, ImapCommand } from '@correio/imap-protocol';
import type { FetchLineItem, FetchLines, FetchNeeds, ImapMessageMeta, ImapStore } from '../../../mailbox-store/imap-store.types.js';
import type { CommandContext, Completion, ImapCommandHandler } from '../../command-context.js';
import type { SelectedMailbox } from '../../selected-mailbox.js';
import { buildFetchPieces } from './fetch-message.js';
import { INLINE_BODY_BYTES, rechunk } from './fetch-piece.js';
import { joinSegments, writeFetchResponse } from './fetch-writer.js';
import { uidSetHas } from './select-qresync.js';
import { bad, isCondstore, no, ok, selectedOf, storeFailure } from './selected-context.js';
import { formatSet } from './uid-set.js';

/** Messages per fetchMeta call: a 1:* over 100k messages is read (and written) a batch at a time. */
export const FETCH_BATCH = 250;
/** Messages whose inline bodies are read ahead of the one being written (≤ 8 × 64 KiB held). */
const READ_AHEAD = 8;

/** A read-ahead promise nobody awaits yet must not become an unhandled rejection. */
function guard<T>(promise: Promise<T> | undefined): Promise<T> | undefined {
  promise?.catch(() => {});
  return promise;
}

type FetchCommand = Extract<ImapCommand, { name: 'FETCH' }>;

/**
 * FETCH / UID FETCH (RFC 9051 §6.4.5, §6.4.9; RFC 7162 §3.1.4 CHANGEDSINCE, §3.2.6 VANISHED).
 * Messages another session expunged meanwhile are skipped (they still have sequence numbers until
 * the EXPUNGE may be sent).
 */
export const fetchCommand: ImapCommandHandler<'FETCH'> = {
  names: ['FETCH'],
  allowedIn: ['selected'],
  allowsExpungeAfter: false,
  async handle(ctx: CommandContext, command: FetchCommand): Promise<Completion> {
    const { mailbox } = selectedOf(ctx);
    if (command.vanished && (!command.uid || command.changedSince === undefined || !ctx.session.enabled.has('QRESYNC'))) {
      return bad('VANISHED needs UID FETCH, CHANGEDSINCE and QRESYNC enabled');
    }
    // RFC 7162 §3.1: CHANGEDSINCE and the MODSEQ item are CONDSTORE-enabling.
    if (command.changedSince !== undefined || command.items.some((i) => i.type === 'MODSEQ')) ctx.session.enable('CONDSTORE');
    const uids = mailbox.resolve(command.set, command.uid, ctx.session.savedSearch);
    if (!Array.isArray(uids)) return bad(uids.error);
    // UID FETCH always answers UID (RFC 9051 §6.4.9); under CONDSTORE every FETCH does (RFC 7162 §3.1, erratum 1807 of RFC 5162).
    const withUid = (command.uid || isCondstore(ctx)) && !command.items.some((i) => i.type === 'UID');
    const items: FetchItem[] = withUid ? [{ type: 'UID' }, ...command.items] : command.items;
    try {
      if (command.vanished && command.changedSince !== undefined) await writeVanished(ctx, mailbox, command, command.changedSince);
      const outcome = isLineFetch(items)
        ? await fetchLinesInBatches(ctx, mailbox, uids, items, command.changedSince)
        : isBodyFetch(items)
          ? await fetchBodiesInBatches(ctx, mailbox, uids, items, command.changedSince)
          : await fetchInBatches(ctx, mailbox, uids, items, command.changedSince);
      if ('status' in outcome) return outcome;
      // RFC 5530 EXPUNGEISSUED / RFC 2180 §4.1: messages another session expunged (the EXPUNGE may not be sent yet).
      if (outcome.gone > 0) {
        const text = 'Some messages were expunged by another session';
        return outcome.written > 0 ? ok(text, 'EXPUNGEISSUED') : no(text, 'EXPUNGEISSUED');
      }
    } catch (err) {
      return storeFailure(ctx, err);
    }
    return ok(`${command.uid ? 'UID FETCH' : 'FETCH'} completed`);
  },
};

/** RFC 7162 §3.2.6: the UIDs of the requested set expunged since the client's modseq. */
async function writeVanished(ctx: CommandContext, mailbox: SelectedMailbox, command: FetchCommand, since: bigint): Promise<void> {
  const changes = await ctx.deps.store.changesSince(mailbox.accountId, mailbox.mailboxId, since);
  const vanished = changes.vanished.filter((uid) => uidSetHas(command.set, uid, mailbox.lastUid)).sort((a, b) => a - b);
  if (vanished.length > 0) ctx.out.untagged(`VANISHED (EARLIER) ${formatSet(vanished)}`);
}

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

async function fetchInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<Completion | { written: number; gone: number }> {
  const store = ctx.deps.store;
  const setsSeen = !mailbox.isReadOnly && items.some(isSeenSetting);
  const needs = needsOf(items, setsSeen);
  const withModseq = isCondstore(ctx) || changedSince !== undefined;
  const withFlags = items.some((i) => i.type === 'FLAGS');
  const readsBodies = items.some((i) => BODY_ITEMS.has(i.type));
  const isUtf8 = ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2');
  let written = 0;
  let gone = 0;
  const readBatch = (b: number) =>
    b < uids.length ? guard(store.fetchMeta(mailbox.accountId, mailbox.mailboxId, uids.slice(b, b + FETCH_BATCH), needs)) : undefined;
  // The next batch's metadata is read while this one is written.
  let nextBatch = readBatch(0);
  for (let b = 0; b < uids.length; b += FETCH_BATCH) {
    const batch = uids.slice(b, b + FETCH_BATCH);
    const metas = new Map<number, ImapMessageMeta>();
    for (const meta of (await nextBatch) ?? []) metas.set(meta.uid, meta);
    nextBatch = readBatch(b + FETCH_BATCH);
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
  }
  return { written, gone };
}

/** Items the store answers as finished text (fetchLines); anything else (bodies, BINARY) takes the general path. */
const LINE_ITEMS = new Set<FetchItem['type']>([
  'UID',
  'FLAGS',
  'INTERNALDATE',
  'RFC822.SIZE',
  'ENVELOPE',
  'BODY',
  'BODYSTRUCTURE',
  'MODSEQ',
]);
/** Messages per fetchLines call: ~0.3–2 KB of text each, so a batch stays within a few megabytes. */
export const LINE_BATCH = 2000;

/**
 * UIDs (ascending) cut into fetchLines batches of at most LINE_BATCH messages spanning at most
 * 4 × LINE_BATCH UIDs (the statement takes the sequence numbers as an array indexed by UID).
 */
export function lineBatches(uids: readonly number[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  for (const uid of uids) {
    if (current.length > 0 && (current.length >= LINE_BATCH || uid - (current[0] as number) >= 4 * LINE_BATCH)) {
      out.push(current);
      current = [];
    }
    current.push(uid);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function isLineFetch(items: readonly FetchItem[]): boolean {
  return items.every((i) => LINE_ITEMS.has(i.type));
}

/**
 * FETCH of metadata only (the full sync "UID FETCH 1:* (FLAGS ENVELOPE)", BODYSTRUCTURE, sizes):
 * the store returns each message's response text built from the row and the kept wire forms, and a
 * batch goes out as one write — no value tree, no encoding, no JSON per message. A batch with a
 * message whose forms are not kept yet goes through the general path (which computes and keeps them).
 */
async function fetchLinesInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<Completion | { written: number; gone: number }> {
  const store = ctx.deps.store;
  const withModseq = isCondstore(ctx) || changedSince !== undefined;
  const lineItems: FetchLineItem[] = items.filter((i) => i.type !== 'MODSEQ').map((i) => i.type as FetchLineItem);
  // MODSEQ goes last, once, also when implied (as buildFetchPieces does).
  if (withModseq) lineItems.push('MODSEQ');
  const request = { items: lineItems, utf8: ctx.session.enabled.has('UTF8=ACCEPT') || ctx.session.enabled.has('IMAP4REV2'), changedSince };
  let written = 0;
  let gone = 0;
  const batches = lineBatches(uids);
  const readBatch = (b: number) => {
    const batch = batches[b];
    if (!batch) return undefined;
    return guard(
      store.fetchLines(
        mailbox.accountId,
        mailbox.mailboxId,
        batch,
        batch.map((uid) => mailbox.seqOf(uid)),
        request,
      ),
    );
  };
  let nextBatch = readBatch(0);
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as number[];
    const lines = (await nextBatch) as FetchLines;
    nextBatch = readBatch(b + 1);
    if (lines.missing > 0) {
      const outcome = await fetchInBatches(ctx, mailbox, batch, items, changedSince);
      if ('status' in outcome) {
        await Promise.allSettled([nextBatch]);
        return outcome;
      }
      written += outcome.written;
      gone += outcome.gone;
      continue;
    }
    gone += batch.length - lines.found;
    if (lines.keywords) mailbox.announceKeywords(lines.keywords.split(' '), ctx.out);
    if (lines.reported) {
      for (const pair of lines.reported.split(',')) {
        const space = pair.indexOf(' ');
        mailbox.noteReported(Number(pair.slice(0, space)), BigInt(pair.slice(space + 1)));
      }
    }
    if (lines.text.length > 0) ctx.out.write(lines.text);
    written += lines.sent;
    await ctx.out.drained();
  }
  return { written, gone };
}

/**
 * The body fast path's shape: one BODY.PEEK[] of the whole message (no section, no partial; PEEK,
 * so no \Seen to set) among items fetchLines answers, without FLAGS (whose keyword bookkeeping
 * the general path keeps) — the download of new mail and the benchmark's FETCH 1:1000 BODY.PEEK[].
 */
function isBodyFetch(items: readonly FetchItem[]): boolean {
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
async function fetchBodiesInBatches(
  ctx: CommandContext,
  mailbox: SelectedMailbox,
  uids: number[],
  items: FetchItem[],
  changedSince?: bigint,
): Promise<Completion | { written: number; gone: number }> {
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
  const readBatch = (b: number) => {
    const batch = batches[b];
    if (!batch) return undefined;
    return guard(
      store.fetchBodies(
        mailbox.accountId,
        mailbox.mailboxId,
        batch,
        batch.map((uid) => mailbox.seqOf(uid)),
        request,
      ),
    );
  };
  let written = 0;
  let gone = 0;
  let nextBatch = readBatch(0);
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b] as number[];
    const rows = (await nextBatch) ?? [];
    nextBatch = readBatch(b + 1);
    // CHANGEDSINCE and kept forms missing are rare here: the general path handles those batches.
    if (changedSince !== undefined || rows.some((r) => r.before === null || r.after === null)) {
      const outcome = await fetchInBatches(ctx, mailbox, batch, items, changedSince);
      if ('status' in outcome) {
        await Promise.allSettled([nextBatch]);
        return outcome;
      }
      written += outcome.written;
      gone += outcome.gone;
      continue;
    }
    gone += batch.length - rows.length;
    let out: Buffer[] = [];
    for (const r of rows) {
      const head = `* ${r.seq} FETCH (${r.before ? `${r.before} ` : ''}BODY[] {${r.data ? r.data.length : r.size}}\r\n`;
      const tail = `${r.after ? ` ${r.after}` : ''})\r\n`;
      if (r.data) {
        out.push(Buffer.from(head), r.data, Buffer.from(tail));
      } else {
        if (out.length > 0) ctx.out.write(Buffer.concat(out));
        out = [];
        const failure: { error?: unknown } = {};
        const read = () => rechunk(store.readBytes(mailbox.accountId, r.blobId, 0, r.size));
        await ctx.out.untaggedStream(Buffer.from(head), joinSegments([read], [r.size], failure), Buffer.from(tail));
        if (failure.error !== undefined) {
          await Promise.allSettled([nextBatch]);
          throw failure.error;
        }
      }
      written++;
    }
    if (out.length > 0) ctx.out.write(Buffer.concat(out));
    await ctx.out.drained();
  }
  return { written, gone };
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
