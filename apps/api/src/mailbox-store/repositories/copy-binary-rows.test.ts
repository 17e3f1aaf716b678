import { describe, expect, it } from 'vitest';
import { ByteSegments } from './byte-segments.js';
import { CopyRowParser, type SegmentRow } from './copy-binary-rows.js';

// The binary COPY format (PostgreSQL manual, COPY, "Binary Format") read from pieces cut anywhere:
// a field, a length or the field count may straddle two pieces; the values must come out whole.

/** A binary COPY stream of `rows` (null = SQL NULL), as PostgreSQL writes it. */
function encode(rows: (Buffer | null)[][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const f of row) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f ? f.length : -1);
      parts.push(len, ...(f ? [f] : []));
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

const ROWS: (Buffer | null)[][] = [
  [Buffer.from([0, 0, 0, 7]), null, Buffer.alloc(0), Buffer.from('Olá', 'utf8')],
  [Buffer.from([0xff, 0xfe, 0, 1]), Buffer.alloc(300, 0xab), null, Buffer.from('x')],
  [null, null, null, null],
];

function parseIn(stream: Buffer, cuts: number[]): { rows: SegmentRow[]; parser: CopyRowParser } {
  const parser = new CopyRowParser();
  const rows: SegmentRow[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    rows.push(...parser.push([stream.subarray(at, cut)]));
    at = cut;
  }
  return { rows, parser };
}

const values = (rows: SegmentRow[]) => rows.map((r) => r.map((f) => (f ? Buffer.concat(f) : null)));

describe('CopyRowParser', () => {
  const stream = encode(ROWS);

  it('reads every row whole wherever the stream is cut in two', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { rows, parser } = parseIn(stream, [cut]);
      expect(values(rows)).toEqual(ROWS);
      expect(parser.isComplete).toBe(true);
    }
  });

  it('reads it byte by byte, handing out views (no row before its last byte)', () => {
    const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    const { rows, parser } = parseIn(stream, cuts);
    expect(values(rows)).toEqual(ROWS);
    expect(parser.isComplete).toBe(true);
  });

  it('refuses a stream that is not binary COPY, and a stream cut short is not complete', () => {
    expect(() => new CopyRowParser().push([Buffer.from('COPY 1\n\0\0\0\0\0\0\0\0\0\0\0\0')])).toThrow(/not a binary COPY/);
    expect(parseIn(stream.subarray(0, stream.length - 1), []).parser.isComplete).toBe(false);
  });
});

describe('ByteSegments', () => {
  it('reads big-endian integers across pieces, negative ones included', () => {
    const s = new ByteSegments();
    for (const b of [0xff, 0xff, 0xff, 0xfe, 0x00, 0x01]) s.push(Buffer.from([b]));
    expect(s.readIntBE(0, 4)).toBe(-2);
    expect(s.readIntBE(4, 2)).toBe(1);
    expect(s.readIntBE(2, 2)).toBe(-2);
    expect(s.take(3).map((v) => v.length)).toEqual([1, 1, 1]);
    expect(s.length).toBe(3);
  });
});
