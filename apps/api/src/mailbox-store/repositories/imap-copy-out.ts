import type { PoolClient } from '@correio/db';

/** One row of a binary COPY: each field's raw bytes (null for SQL NULL). */
export type CopyRow = (Buffer | null)[];

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * `COPY (query) TO STDOUT (FORMAT binary)` read as raw field bytes. Why: node-postgres receives a
 * bytea column as hex text (twice the bytes on the wire, a string of that size, then a hex decode):
 * for FETCH BODY[] of a thousand ordinary messages that was most of the time and garbage. A binary
 * COPY hands over the stored bytes as they are (PostgreSQL binary COPY format, "COPY" in the
 * PostgreSQL manual: a signature, flags, then per row an int16 field count and per field an int32
 * length, -1 for NULL, and the bytes; int4 fields are 4 bytes big-endian, text is UTF-8).
 * COPY takes no parameters: callers inline only values they produced themselves (validated ids,
 * integers). A node-postgres "submittable" (the interface pg-cursor and pg-copy-streams use).
 */
export function copyOutBinary(client: Pick<PoolClient, 'query'>, sql: string): Promise<CopyRow[]> {
  return new Promise((resolve, reject) => {
    const q = new CopyOutBinary(sql, (err, rows) => (err ? reject(err) : resolve(rows)));
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() accepts any object with submit(); its types do not say so.
    (client.query as (q: any) => unknown)(q);
  });
}

class CopyOutBinary {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private readonly rows: CopyRow[] = [];
  private error: Error | undefined;

  constructor(
    private readonly text: string,
    private readonly done: (err: Error | undefined, rows: CopyRow[]) => void,
  ) {}

  submit(connection: { query(text: string): void }): void {
    connection.query(`COPY (${this.text}) TO STDOUT (FORMAT binary)`);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    if (this.error) return;
    // The chunk is a view into node-postgres's receive buffer, which it reuses: copy it first.
    this.pending = this.pending.length > 0 ? Buffer.concat([this.pending, msg.chunk]) : Buffer.from(msg.chunk);
    try {
      this.parse();
    } catch (err) {
      this.error = err as Error;
    }
  }

  private parse(): void {
    const b = this.pending;
    let at = 0;
    if (!this.headerRead) {
      if (b.length < 19) return;
      if (!b.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      at = 19 + b.readInt32BE(15);
      this.headerRead = true;
    }
    for (;;) {
      if (b.length - at < 2) break;
      const count = b.readInt16BE(at);
      if (count === -1) {
        at = b.length; // trailer
        break;
      }
      const row: CopyRow = new Array(count);
      let p = at + 2;
      let complete = true;
      for (let i = 0; i < count; i++) {
        if (b.length - p < 4) {
          complete = false;
          break;
        }
        const len = b.readInt32BE(p);
        p += 4;
        if (len < 0) {
          row[i] = null;
          continue;
        }
        if (b.length - p < len) {
          complete = false;
          break;
        }
        row[i] = b.subarray(p, p + len);
        p += len;
      }
      if (!complete) break;
      this.rows.push(row);
      at = p;
    }
    this.pending = b.subarray(at);
  }

  handleCommandComplete(): void {}

  handleError(err: Error): void {
    this.error ??= err;
  }

  handleReadyForQuery(): void {
    this.done(this.error, this.rows);
  }

  // Messages a COPY never brings; present because node-postgres may call them on any active query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}
