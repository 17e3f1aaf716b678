import type pg from 'pg';

/**
 * COPY ... TO STDOUT (FORMAT binary) through a node-postgres client: the fields arrive as the bytes
 * PostgreSQL sent, never decoded into JavaScript strings. node-postgres decodes every DataRow field
 * as a UTF-8 string (its binary result mode does the same, so bytea cannot come back raw), which for
 * large blobs means a string on the V8 heap per blob and a second copy back into a Buffer; the
 * CopyData messages of COPY are handed over as bytes. Reading many message blobs in one statement
 * (the POP3 read-ahead) costs about half the CPU this way, and far less garbage collection.
 *
 * COPY takes no bind parameters: the caller builds the statement from values it has validated
 * (digits only, for ids).
 */
export function copyOutBinary(client: Pick<pg.PoolClient, 'query'>, sql: string, allocate?: FieldAllocator): Promise<(Buffer | null)[][]> {
  return new Promise((resolve, reject) => {
    const parser = new BinaryCopyParser(allocate);
    let failure: unknown;
    // A pg "Submittable": the client calls these as the backend's messages arrive.
    const query = {
      submit(connection: { query(text: string): void }): void {
        connection.query(sql); // simple query protocol: COPY TO STDOUT answers with CopyData messages
      },
      handleCopyData(msg: { chunk: Buffer }): void {
        // The chunk is a view into the client's read buffer, reused for what arrives next: the
        // parser copies what it keeps before returning.
        if (failure === undefined) {
          try {
            parser.push(msg.chunk);
          } catch (err) {
            failure = err;
          }
        }
      },
      handleRowDescription(): void {},
      handleDataRow(): void {},
      handleCommandComplete(): void {},
      handleEmptyQuery(): void {},
      handlePortalSuspended(): void {},
      // node-postgres forgets the active query on an error (no readyForQuery follows for it) and
      // calls this on a lost connection too: report at once, as its own Query does.
      handleError(err: unknown): void {
        failure ??= err;
        reject(failure);
      },
      handleReadyForQuery(): void {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        try {
          resolve(parser.end());
        } catch (err) {
          reject(err);
        }
      },
    };
    client.query(query as unknown as pg.Submittable);
  });
}

/** "PGCOPY\n\377\r\n\0": the signature that starts every binary COPY file (PostgreSQL docs, COPY, "Binary Format"). */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
/** Signature, flags field (32 bits), header extension length (32 bits). */
const HEADER_OCTETS = SIGNATURE.length + 8;
/** Flags bit 16: each tuple starts with its OID. Never asked for here; its presence is refused. */
const FLAG_HAS_OIDS = 1 << 16;

type Phase = 'header' | 'extension' | 'fieldCount' | 'fieldLength' | 'fieldData' | 'fieldSkip' | 'end';

/**
 * Where a field's bytes go: given the fields of its row read so far and its length, a Buffer of
 * exactly that length to fill (memory the caller reuses, such as a shared ring), `undefined` for a
 * new Buffer, or `null` to skip the bytes (the field then reads as null).
 */
export type FieldAllocator = (row: readonly (Buffer | null)[], length: number) => Buffer | null | undefined;

/**
 * The binary COPY format, parsed incrementally from chunks of any size (a field may span several):
 * header, then tuples (a 16-bit field count, then per field a 32-bit length, -1 for NULL, and that
 * many bytes), then the trailer (a field count of -1). Each field's bytes are copied once into a
 * Buffer of their own.
 */
export class BinaryCopyParser {
  private readonly rows: (Buffer | null)[][] = [];
  private phase: Phase = 'header';
  /** The fixed-size item being read (header, count, length) and how much of it has arrived. */
  private readonly fixed = Buffer.alloc(HEADER_OCTETS);
  private fixedHave = 0;
  private skipLeft = 0;
  private row: (Buffer | null)[] = [];
  private fieldsLeft = 0;
  private field: Buffer = Buffer.alloc(0);
  private fieldHave = 0;

  constructor(private readonly allocate?: FieldAllocator) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.phase) {
        case 'end':
          throw new Error('binary COPY: data after the trailer');
        case 'extension': {
          const n = Math.min(this.skipLeft, chunk.length - at);
          this.skipLeft -= n;
          at += n;
          if (this.skipLeft === 0) this.expect('fieldCount');
          break;
        }
        case 'fieldSkip': {
          const n = Math.min(this.skipLeft, chunk.length - at);
          this.skipLeft -= n;
          at += n;
          if (this.skipLeft === 0) this.fieldDone(null);
          break;
        }
        case 'fieldData': {
          const n = Math.min(this.field.length - this.fieldHave, chunk.length - at);
          chunk.copy(this.field, this.fieldHave, at, at + n);
          this.fieldHave += n;
          at += n;
          if (this.fieldHave === this.field.length) this.fieldDone(this.field);
          break;
        }
        case 'fieldCount':
        case 'fieldLength': {
          // Whole in this chunk (nearly always): read in place, no copy (two or three per row).
          if (this.fixedHave === 0 && at + this.fixedSize() <= chunk.length) {
            if (this.phase === 'fieldCount') {
              at += 2;
              this.countDone(chunk.readInt16BE(at - 2));
            } else {
              at += 4;
              this.lengthDone(chunk.readInt32BE(at - 4));
            }
            break;
          }
          at = this.fillFixed(chunk, at);
          break;
        }
        default:
          at = this.fillFixed(chunk, at);
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
      this.fixedDone();
    }
    return at + n;
  }

  /** The tuples; throws unless the trailer arrived (a COPY cut short). */
  end(): (Buffer | null)[][] {
    if (this.phase !== 'end') throw new Error('binary COPY: the data ended before the trailer');
    return this.rows;
  }

  private fixedSize(): number {
    return this.phase === 'header' ? HEADER_OCTETS : this.phase === 'fieldCount' ? 2 : 4;
  }

  private expect(phase: Phase): void {
    this.phase = phase;
    this.fixedHave = 0;
  }

  private fixedDone(): void {
    const f = this.fixed;
    if (this.phase === 'header') this.headerDone(f);
    else if (this.phase === 'fieldCount') this.countDone(f.readInt16BE(0));
    else this.lengthDone(f.readInt32BE(0));
  }

  private headerDone(f: Buffer): void {
    if (!f.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('binary COPY: bad signature');
    if (f.readUInt32BE(SIGNATURE.length) & FLAG_HAS_OIDS) throw new Error('binary COPY: OIDs are not expected');
    this.skipLeft = f.readUInt32BE(SIGNATURE.length + 4);
    this.expect(this.skipLeft > 0 ? 'extension' : 'fieldCount');
  }

  private countDone(count: number): void {
    if (count === -1) {
      this.expect('end');
      return;
    }
    if (count < 0) throw new Error(`binary COPY: bad field count ${count}`);
    this.row = [];
    this.fieldsLeft = count;
    if (count === 0) this.rowDone();
    else this.expect('fieldLength');
  }

  private lengthDone(length: number): void {
    if (length === -1) {
      this.fieldDone(null);
      return;
    }
    if (length < 0) throw new Error(`binary COPY: bad field length ${length}`);
    const into = this.allocate?.(this.row, length);
    if (into && into.length !== length) throw new Error(`binary COPY: allocator gave ${into.length} bytes for a field of ${length}`);
    if (length === 0) {
      this.fieldDone(into === null ? null : Buffer.alloc(0));
    } else if (into === null) {
      this.skipLeft = length;
      this.phase = 'fieldSkip';
    } else {
      this.field = into ?? Buffer.allocUnsafe(length); // every byte is written in push()
      this.fieldHave = 0;
      this.phase = 'fieldData';
    }
  }

  private fieldDone(value: Buffer | null): void {
    this.row.push(value);
    if (--this.fieldsLeft === 0) this.rowDone();
    else this.expect('fieldLength');
  }

  private rowDone(): void {
    this.rows.push(this.row);
    this.expect('fieldCount');
  }
}
