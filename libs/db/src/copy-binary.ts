/**
 * The binary COPY format (PostgreSQL manual, COPY, "Binary Format"), the one parser of it: a header
 * (signature, 32-bit flags, 32-bit extension length and that many bytes), then per tuple a 16-bit
 * field count and per field a 32-bit length (-1 for NULL) and that many bytes, then the trailer (a
 * field count of -1). Fed chunks cut anywhere: a field, a length or the header may span several.
 *
 * BinaryCopyScanner walks the format; the two ways of keeping a field's bytes are thin layers on it:
 * - CopyViewParser hands each field out as views of the chunks it was fed (nothing copied: IMAP
 *   FETCH's bodies, whose chunks are the socket's own reads, see apps/api imap-copy-out.ts);
 * - BinaryCopyParser copies each field once, into memory an allocator gives (the shared ring of
 *   SharedCopyReader) or a Buffer of its own (chunks node-postgres reuses, see copy-out-binary.ts).
 */

/** "PGCOPY\n\377\r\n\0": the signature that starts every binary COPY stream. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags field (32 bits), header extension length (32 bits). */
const HEADER_OCTETS = SIGNATURE.length + 8;
/** Flags bit 16: each tuple starts with its OID. Never asked for here; its presence is refused. */
const FLAG_HAS_OIDS = 1 << 16;

// Where the scanner is: numbers, not strings, as the loop tests it once or twice per field.
const HEADER = 0;
const EXTENSION = 1;
const FIELD_COUNT = 2;
const FIELD_LENGTH = 3;
const FIELD_DATA = 4;
const FIELD_SKIP = 5;
const END = 6;
type Phase = typeof HEADER | typeof EXTENSION | typeof FIELD_COUNT | typeof FIELD_LENGTH | typeof FIELD_DATA | typeof FIELD_SKIP | typeof END;

/** A tuple as a layer keeps it: one value per field, null for SQL NULL (or a field the layer skipped). */
export type CopyRow<F> = (F | null)[];

/**
 * The format's state machine. It reads the fixed-size items (header, counts, lengths) in place when
 * a chunk holds them whole, as it nearly always does, and through a small buffer when they straddle
 * two; a field's bytes go to the layer as ranges of the chunks, as they arrive.
 */
export abstract class BinaryCopyScanner<F> {
  /** Tuples completed and not yet handed out by the layer. */
  protected rows: CopyRow<F>[] = [];
  private phase: Phase = HEADER;
  /** The fixed-size item being read when it straddles chunks, and how much of it has arrived. */
  private readonly fixed = Buffer.alloc(HEADER_OCTETS);
  private fixedHave = 0;
  /** Bytes still to come of the header extension or of the field under way (read or skipped). */
  private left = 0;
  private row: CopyRow<F> = [];
  private fieldsLeft = 0;

  /**
   * A non-NULL field of `length` bytes starts, after the fields of `row` so far: true to be given
   * its bytes (fieldBytes, then endField), false to skip them (the field then reads as null).
   */
  protected abstract beginField(row: CopyRow<F>, length: number): boolean;
  /** The next bytes of the field under way: chunk[start, end), valid only as long as the chunk is. */
  protected abstract fieldBytes(chunk: Buffer, start: number, end: number): void;
  /** The field under way is whole: its value. */
  protected abstract endField(): F;

  /** Whether the trailer came (a COPY that ends without one was cut short). */
  get isComplete(): boolean {
    return this.phase === END;
  }

  /** Reads a chunk. Throws on a stream that is not binary COPY, and on bytes after the trailer. */
  protected scan(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.phase) {
        case FIELD_DATA: {
          const n = Math.min(this.left, chunk.length - at);
          this.fieldBytes(chunk, at, at + n);
          this.left -= n;
          at += n;
          if (this.left === 0) this.fieldDone(this.endField());
          break;
        }
        case FIELD_COUNT:
        case FIELD_LENGTH:
          // Whole in this chunk (nearly always): read in place, no copy.
          if (this.fixedHave === 0 && at + this.fixedSize() <= chunk.length) {
            if (this.phase === FIELD_COUNT) {
              at += 2;
              this.countDone(chunk.readInt16BE(at - 2));
            } else {
              at += 4;
              this.lengthDone(chunk.readInt32BE(at - 4));
            }
          } else {
            at = this.fillFixed(chunk, at);
          }
          break;
        case EXTENSION:
        case FIELD_SKIP: {
          const n = Math.min(this.left, chunk.length - at);
          this.left -= n;
          at += n;
          if (this.left > 0) break;
          if (this.phase === EXTENSION) this.phase = FIELD_COUNT;
          else this.fieldDone(null);
          break;
        }
        case HEADER:
          at = this.fillFixed(chunk, at);
          break;
        case END:
          throw new Error('binary COPY: data after the trailer');
      }
    }
  }

  /** Copies what `chunk` has of the fixed-size item under way; the position after it. */
  private fillFixed(chunk: Buffer, at: number): number {
    const need = this.fixedSize();
    const n = Math.min(need - this.fixedHave, chunk.length - at);
    chunk.copy(this.fixed, this.fixedHave, at, at + n);
    this.fixedHave += n;
    if (this.fixedHave === need) {
      this.fixedHave = 0;
      const f = this.fixed;
      if (this.phase === HEADER) this.headerDone(f);
      else if (this.phase === FIELD_COUNT) this.countDone(f.readInt16BE(0));
      else this.lengthDone(f.readInt32BE(0));
    }
    return at + n;
  }

  private fixedSize(): number {
    return this.phase === HEADER ? HEADER_OCTETS : this.phase === FIELD_COUNT ? 2 : 4;
  }

  private headerDone(f: Buffer): void {
    if (!f.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('binary COPY: bad signature (not a binary COPY stream)');
    if (f.readUInt32BE(SIGNATURE.length) & FLAG_HAS_OIDS) throw new Error('binary COPY: OIDs are not expected');
    this.left = f.readUInt32BE(SIGNATURE.length + 4);
    this.phase = this.left > 0 ? EXTENSION : FIELD_COUNT;
  }

  private countDone(count: number): void {
    if (count === -1) {
      this.phase = END;
      return;
    }
    if (count < 0) throw new Error(`binary COPY: bad field count ${count}`);
    this.row = [];
    this.fieldsLeft = count;
    if (count === 0) this.rowDone();
    else this.phase = FIELD_LENGTH;
  }

  private lengthDone(length: number): void {
    if (length === -1) {
      this.fieldDone(null);
      return;
    }
    if (length < 0) throw new Error(`binary COPY: bad field length ${length}`);
    const isWanted = this.beginField(this.row, length);
    if (length === 0) {
      this.fieldDone(isWanted ? this.endField() : null);
    } else {
      this.left = length;
      this.phase = isWanted ? FIELD_DATA : FIELD_SKIP;
    }
  }

  private fieldDone(value: F | null): void {
    this.row.push(value);
    if (--this.fieldsLeft === 0) this.rowDone();
    else this.phase = FIELD_LENGTH;
  }

  private rowDone(): void {
    this.rows.push(this.row);
    this.phase = FIELD_COUNT;
  }
}

/** A tuple whose fields are views of the chunks they arrived in ([] for an empty field). */
export type SegmentRow = CopyRow<Buffer[]>;

/**
 * Binary COPY with each field handed out as views (subarray) of the chunks it was fed, never
 * copied: only for chunks nobody writes to again (a socket's 'data' chunks). A tuple is handed out
 * once its last byte has arrived.
 */
export class CopyViewParser extends BinaryCopyScanner<Buffer[]> {
  private views: Buffer[] = [];

  /** Reads the chunks (one CopyData message's payload, in any number of pieces); the tuples they complete. */
  push(chunks: readonly Buffer[]): SegmentRow[] {
    this.rows = [];
    for (const chunk of chunks) this.scan(chunk);
    return this.rows;
  }

  protected beginField(): boolean {
    this.views = [];
    return true;
  }

  protected fieldBytes(chunk: Buffer, start: number, end: number): void {
    // A chunk that is all field (the middle of a large body) is kept as it is: no view to make.
    this.views.push(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
  }

  protected endField(): Buffer[] {
    return this.views;
  }
}

/**
 * Where a field's bytes go: given the fields of its row read so far and its length, a Buffer of
 * exactly that length to fill (memory the caller reuses, such as a shared ring), `undefined` for a
 * new Buffer, or `null` to skip the bytes (the field then reads as null).
 */
export type FieldAllocator = (row: readonly (Buffer | null)[], length: number) => Buffer | null | undefined;

/**
 * Binary COPY with each field's bytes copied once, as they arrive, into a Buffer of their own or
 * the memory `allocate` gives: for chunks that are reused once read (node-postgres's CopyData).
 */
export class BinaryCopyParser extends BinaryCopyScanner<Buffer> {
  private field: Buffer = Buffer.alloc(0);
  private fieldHave = 0;

  constructor(private readonly allocate?: FieldAllocator) {
    super();
  }

  push(chunk: Buffer): void {
    this.scan(chunk);
  }

  /** The tuples; throws unless the trailer arrived (a COPY cut short). */
  end(): CopyRow<Buffer>[] {
    if (!this.isComplete) throw new Error('binary COPY: the data ended before the trailer');
    return this.rows;
  }

  protected beginField(row: CopyRow<Buffer>, length: number): boolean {
    const into = this.allocate?.(row, length);
    if (into === null) return false;
    if (into && into.length !== length) throw new Error(`binary COPY: allocator gave ${into.length} bytes for a field of ${length}`);
    this.field = into ?? Buffer.allocUnsafe(length); // every byte is written by fieldBytes
    this.fieldHave = 0;
    return true;
  }

  protected fieldBytes(chunk: Buffer, start: number, end: number): void {
    chunk.copy(this.field, this.fieldHave, start, end);
    this.fieldHave += end - start;
  }

  protected endField(): Buffer {
    return this.field;
  }
}
