import { Inject, Injectable } from '@nestjs/common';
import { type Pool, releaseClient } from '@correio/db';
import { DB_FEATURES, type DbFeatures, PG_POOL } from '../../database/database.module.js';
import type { FetchBodiesRequest, FetchBody, FetchBodyStream } from '../imap-store.types.js';
import { joined } from './byte-segments.js';
import { type CopyRowStream, type SegmentRow, streamCopyOut } from './imap-copy-out.js';
import { fetchBodiesParamSql, fetchBodiesSql } from './imap-fetch-lines.sql.js';
import { preparedQuery } from './imap-prepared.js';
import { seqsByUid } from './seqs-by-uid.js';

/** Up to this many messages, FETCH's bodies come from a named statement instead of a COPY (fetchBodiesParamSql). */
const PARAM_BODIES_MAX = 8;
/** Cleared when the database cannot COPY to the client (fetchBodies then asks a plain query). */
let copyWorks = true;

/** A pg result row of the bodies statement (the few-bodies statement, or the plain query on a database without COPY). */
type BodyQueryRow = Omit<FetchBody, 'data'> & { data: Buffer | null };

/**
 * FETCH BODY.PEEK[]'s reads of message bytes (messages and blobs rows, scoped by account), beside
 * ImapMessageRepository: the batch's bodies with the text of the other items, handed out as they
 * arrive (imap-copy-out.ts) so the session writes the first while PostgreSQL still sends the rest.
 */
@Injectable()
export class ImapBodiesRepository {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(DB_FEATURES) private readonly features: DbFeatures,
  ) {}

  /** FETCH BODY.PEEK[] of a batch (imap-fetch-lines.sql.ts fetchBodiesSql), the bytes by binary COPY. `uids` ascending. */
  async fetchBodies(
    accountId: string,
    mailboxId: string,
    uids: number[],
    seqs: number[],
    request: FetchBodiesRequest,
  ): Promise<FetchBodyStream> {
    const { lo, hi, text: seqText } = seqsByUid(uids, seqs);
    if (uids.length <= PARAM_BODIES_MAX) {
      // A few messages (a client's FETCH of one body): one named statement, planned once per
      // connection. Its bytes come as hex text (node-postgres reads every result field as text, so
      // binary results would not help): for a few messages that costs less than parsing and
      // planning a COPY's statement on every command.
      const { rows } = await this.pool.query<BodyQueryRow>({
        ...preparedQuery(this.features, fetchBodiesParamSql(request.before, request.after, request.utf8)),
        values: [accountId, mailboxId, lo, hi, seqText, request.inlineMax, request.batchMax],
      });
      return readStream([rows.map(fromQueryRow)]);
    }
    const sql = fetchBodiesSql(request.before, request.after, { ...request, accountId, mailboxId, lo, hi, seqsLiteral: seqText });
    if (!copyWorks) return readStream([(await this.pool.query<BodyQueryRow>(sql)).rows.map(fromQueryRow)]);
    // A connection lost mid-COPY fails the COPY (settled carries the error) and raises nothing
    // uncaught: createPool's clients carry an 'error' listener, and pg-pool drops a dead client.
    const client = await this.pool.connect();
    let copy: CopyRowStream;
    try {
      copy = streamCopyOut(client, sql);
    } catch (err) {
      releaseClient(client, err);
      throw err;
    }
    const settled = copy.settled.then((err) => releaseClient(client, err));
    return { settled, [Symbol.asyncIterator]: () => this.copiedRows(copy, sql) };
  }

  private async *copiedRows(copy: CopyRowStream, sql: string): AsyncGenerator<FetchBody[]> {
    let isStarted = false;
    try {
      for await (const rows of copy) {
        isStarted = true;
        yield rows.map(fromCopyRow);
      }
    } catch (err) {
      // An embedded PostgreSQL that cannot COPY to the client: the same statement as a query.
      if (isStarted || !/COPY|copy/.test(String((err as Error).message))) throw err;
      copyWorks = false;
      const { rows } = await this.pool.query<BodyQueryRow>(sql);
      yield rows.map(fromQueryRow);
    }
  }
}

/** Rows already read, as a stream. */
export function readStream(groups: FetchBody[][]): FetchBodyStream {
  return {
    settled: Promise.resolve(),
    async *[Symbol.asyncIterator]() {
      yield* groups;
    },
  };
}

function fromQueryRow(r: BodyQueryRow): FetchBody {
  return { ...r, data: r.data ? [r.data] : null };
}

/**
 * The COPY's fields in fetchBodiesSql's order: uid, seq, size (int4), before, after (text), data
 * (bytea), blob id (int8). Kept small and free of BigInt: it runs per row, and V8 optimizes it
 * while a young process's first FETCHes run (its optimizing compile, on a thread competing for the
 * same cores, was the largest of the body path's: bench/README "body12").
 */
function fromCopyRow(r: SegmentRow): FetchBody {
  return {
    uid: int32(r[0]),
    seq: int32(r[1]),
    size: int32(r[2]),
    before: text(r[3]),
    after: text(r[4]),
    data: r[5] ?? null,
    blobId: int8Text(r[6]),
  };
}

function int32(f: Buffer[] | null | undefined): number {
  return joined(f as Buffer[]).readInt32BE(0);
}

/** A text field; the items' text is usually empty (BODY.PEEK[] alone): '' without joining or decoding. */
function text(f: Buffer[] | null | undefined): string | null {
  if (!f) return null;
  return f.length === 0 ? '' : joined(f).toString('utf8');
}

/** A non-negative int8 (a blob id) as decimal text: exact as a double below 2^53, BigInt beyond (never in practice). */
function int8Text(f: Buffer[] | null | undefined): string {
  const b = joined(f as Buffer[]);
  const high = b.readUInt32BE(0);
  return high < 0x200000 ? String(high * 0x100000000 + b.readUInt32BE(4)) : b.readBigInt64BE(0).toString();
}
