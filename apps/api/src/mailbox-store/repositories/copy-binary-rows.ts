import { ByteSegments } from './byte-segments.js';

/** One row of a binary COPY: each field's bytes as views of the pieces they arrived in (null for SQL NULL). */
export type SegmentRow = (Buffer[] | null)[];

/** "PGCOPY\n\377\r\n\0", then a 32-bit flags field and a 32-bit header extension length. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_BYTES = SIGNATURE.length + 8;

/**
 * The binary COPY format (PostgreSQL manual, COPY, "Binary Format"): a header, then per row an int16
 * field count and per field an int32 length (-1 for NULL) and that many bytes, then an int16 -1
 * trailer. Fed the payloads of CopyData messages in any cut (PostgreSQL happens to send one row per
 * message, the header with the first, but the protocol does not promise it); a field is handed out
 * as views of what it was fed, so nothing is copied here.
 */
export class CopyRowParser {
  private readonly bytes = new ByteSegments();
  private isHeaderRead = false;
  private isTrailerRead = false;
  /** Header extension bytes still to skip (none defined yet; a reader must skip them). */
  private skipExtension = 0;

  /** Adds payload bytes; returns the rows they complete. Throws on a stream that is not binary COPY. */
  push(views: readonly Buffer[]): SegmentRow[] {
    for (const v of views) this.bytes.push(v);
    const rows: SegmentRow[] = [];
    if (!this.isHeaderRead) {
      if (this.bytes.length < HEADER_BYTES) return rows;
      const signature = Buffer.concat(this.bytes.take(SIGNATURE.length));
      if (!signature.equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      this.bytes.skip(4); // flags: bit 16 (OIDs) is never asked for
      const extension = this.bytes.readIntBE(0, 4);
      this.bytes.skip(4);
      this.isHeaderRead = true;
      this.skipExtension = extension;
    }
    if (this.skipExtension > 0) {
      const n = Math.min(this.skipExtension, this.bytes.length);
      this.bytes.skip(n);
      this.skipExtension -= n;
      if (this.skipExtension > 0) return rows;
    }
    for (;;) {
      const row = this.nextRow();
      if (row === undefined) return rows;
      rows.push(row);
    }
  }

  /** Whether the trailer came (a COPY that ends without one was cut short). */
  get isComplete(): boolean {
    return this.isTrailerRead;
  }

  /** The next whole row, consumed; undefined when it has not all arrived (nothing consumed then). */
  private nextRow(): SegmentRow | undefined {
    const b = this.bytes;
    if (this.isTrailerRead || b.length < 2) return undefined;
    const count = b.readIntBE(0, 2);
    if (count === -1) {
      b.skip(2);
      this.isTrailerRead = true;
      return undefined;
    }
    // Measure first, then take: a row is consumed only whole.
    const lengths: number[] = new Array(count);
    let at = 2;
    for (let i = 0; i < count; i++) {
      if (b.length - at < 4) return undefined;
      const len = b.readIntBE(at, 4);
      at += 4;
      lengths[i] = len;
      if (len > 0) {
        if (b.length - at < len) return undefined;
        at += len;
      }
    }
    b.skip(2);
    const row: SegmentRow = new Array(count);
    for (let i = 0; i < count; i++) {
      b.skip(4);
      const len = lengths[i] as number;
      row[i] = len < 0 ? null : len === 0 ? [] : b.take(len);
    }
    return row;
  }
}
