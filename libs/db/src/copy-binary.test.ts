import { describe, expect, it } from 'vitest';
import { BinaryCopyParser, CopyViewParser, type FieldAllocator, type SegmentRow } from './copy-binary.js';

// The binary COPY format (PostgreSQL manual, COPY, "Binary Format") read from chunks cut anywhere:
// a field, a length, the field count or the header may straddle two chunks; both layers of the one
// scanner (views, copies) must give the values whole, and refuse what is not binary COPY.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function int16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
}
function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

type Rows = (Buffer | null)[][];

/** A binary COPY stream as PostgreSQL writes it (header with an optional extension, tuples, trailer). */
function copyStream(rows: Rows, extension = Buffer.alloc(0), flags = 0): Buffer {
  const parts = [SIGNATURE, int32(flags), int32(extension.length), extension];
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const f of row) parts.push(...(f === null ? [int32(-1)] : [int32(f.length), f]));
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

/** `data` cut at `cuts` (ascending offsets), as the chunks a caller would push. */
function cutAt(data: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, data.length]) {
    chunks.push(data.subarray(at, cut));
    at = cut;
  }
  return chunks;
}

const inSizes = (data: Buffer, size: number) =>
  cutAt(
    data,
    Array.from({ length: Math.ceil(data.length / size) - 1 }, (_, i) => (i + 1) * size),
  );

/** Both layers over the same chunks, each row's fields as plain Buffers (null for NULL). */
const LAYERS: { name: string; parse: (chunks: Buffer[]) => { rows: Rows; isComplete: boolean } }[] = [
  {
    name: 'BinaryCopyParser (copies)',
    parse(chunks) {
      const p = new BinaryCopyParser();
      for (const c of chunks) p.push(c);
      return { rows: p.isComplete ? p.end() : [], isComplete: p.isComplete };
    },
  },
  {
    name: 'CopyViewParser (views)',
    parse(chunks) {
      const p = new CopyViewParser();
      const rows: SegmentRow[] = [];
      for (const c of chunks) rows.push(...p.push([c]));
      return { rows: rows.map((r) => r.map((f) => (f ? Buffer.concat(f) : null))), isComplete: p.isComplete };
    },
  },
];

/** Streams and the tuples they hold. */
const STREAMS: { name: string; data: Buffer; rows: Rows }[] = [
  {
    name: 'int, NULL, empty and UTF-8 fields',
    rows: [
      [Buffer.from([0, 0, 0, 7]), null, Buffer.alloc(0), Buffer.from('Olá', 'utf8')],
      [Buffer.from([0xff, 0xfe, 0, 1]), Buffer.alloc(300, 0xab), null, Buffer.from('x')],
      [null, null, null, null],
    ],
  },
  {
    name: 'a header extension, then ids and message bytes',
    extension: Buffer.from('ext'),
    rows: [
      [Buffer.from('0000000000000007', 'hex'), Buffer.from('From: a@b\r\n\r\nbody\r\n')],
      [Buffer.from('0000000000000008', 'hex'), null],
      [Buffer.from('0000000000000009', 'hex'), Buffer.alloc(0)],
    ],
  },
  { name: 'no tuples', rows: [] },
  { name: 'tuples of no fields', rows: [[], []] },
].map((s) => ({ ...s, data: copyStream(s.rows, s.extension) }));

describe.each(LAYERS)('$name', ({ parse }) => {
  it.each(STREAMS)('reads $name wherever the stream is cut in two', ({ data, rows }) => {
    for (let cut = 0; cut <= data.length; cut++) {
      expect(parse(cutAt(data, [cut]))).toEqual({ rows, isComplete: true });
    }
  });

  it.each(STREAMS)('reads $name byte by byte', ({ data, rows }) => {
    expect(parse(inSizes(data, 1))).toEqual({ rows, isComplete: true });
  });

  it('reads a 70 KB field in chunks of any size', () => {
    const rows = [[Buffer.from('000000000000000a', 'hex'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => i & 0xff))]];
    const data = copyStream(rows);
    // Compared as hex: vitest compares Buffers element by element, slowly.
    const hex = (r: Rows) => r.map((row) => row.map((f) => f?.toString('hex') ?? null));
    for (const size of [1, 2, 3, 7, 19, 64, 65_536, data.length]) {
      const got = parse(inSizes(data, size));
      expect({ rows: hex(got.rows), isComplete: got.isComplete }).toEqual({ rows: hex(rows), isComplete: true });
    }
  });

  it('reports a stream cut short as not complete, wherever it is cut', () => {
    const data = STREAMS[0]!.data;
    for (let end = 0; end < data.length; end++) expect(parse([data.subarray(0, end)]).isComplete).toBe(false);
  });

  const good = STREAMS[0]!.data;
  const badSignature = Buffer.from(good);
  badSignature[0] = 0x51;
  it.each([
    { name: 'a bad signature', data: badSignature, error: /not a binary COPY stream/ },
    { name: 'text COPY', data: Buffer.from('COPY 1\n\0\0\0\0\0\0\0\0\0\0\0\0'), error: /not a binary COPY stream/ },
    { name: 'OIDs', data: copyStream([[null]], Buffer.alloc(0), 1 << 16), error: /OIDs/ },
    { name: 'data after the trailer', data: Buffer.concat([good, Buffer.from([0])]), error: /after the trailer/ },
    {
      name: 'a field length below -1',
      data: Buffer.concat([SIGNATURE, int32(0), int32(0), int16(1), int32(-2)]),
      error: /bad field length -2/,
    },
    { name: 'a field count below -1', data: Buffer.concat([SIGNATURE, int32(0), int32(0), int16(-2)]), error: /bad field count -2/ },
  ])('refuses $name, in one chunk or byte by byte', ({ data, error }) => {
    expect(() => parse([data])).toThrow(error);
    expect(() => parse(inSizes(data, 1))).toThrow(error);
  });
});

describe('CopyViewParser', () => {
  it('hands out views of the chunks it was fed (no copy), a row only once its last byte came', () => {
    const body = Buffer.alloc(5000, 0x61);
    const data = copyStream([[Buffer.from([0, 0, 0, 1]), body]]);
    const chunks = inSizes(data, 1000).map((c) => Buffer.from(new Uint8Array(c).buffer)); // each chunk its own memory, as socket reads
    const p = new CopyViewParser();
    for (const c of chunks.slice(0, -1)) expect(p.push([c])).toEqual([]);
    const [row] = p.push([chunks.at(-1)!]);
    const views = row![1]!;
    expect(Buffer.concat(views)).toEqual(body);
    expect(views.map((v) => chunks.findIndex((c) => c.buffer === v.buffer))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(views.slice(1, 4).every((v, i) => v === chunks[i + 1])).toBe(true); // chunks all body: kept as they are
  });

  it('reads a message given in several pieces at once', () => {
    const { data, rows } = STREAMS[0]!;
    const got = new CopyViewParser().push(inSizes(data, 3));
    expect(got.map((r) => r.map((f) => (f ? Buffer.concat(f) : null)))).toEqual(rows);
  });
});

describe('BinaryCopyParser', () => {
  const ROWS = STREAMS[1]!.rows;

  it('copies what it keeps: reusing the chunk afterwards does not change the result', () => {
    const data = copyStream(ROWS);
    const p = new BinaryCopyParser();
    const chunk = Buffer.alloc(10);
    for (let i = 0; i < data.length; i += 10) {
      const n = data.copy(chunk, 0, i, i + 10);
      p.push(chunk.subarray(0, n));
      chunk.fill(0x58);
    }
    expect(p.end()).toEqual(ROWS);
  });

  it('refuses to end before the trailer', () => {
    const p = new BinaryCopyParser();
    p.push(STREAMS[1]!.data.subarray(0, -1));
    expect(() => p.end()).toThrow(/before the trailer/);
  });

  it('writes fields into the memory it is given, skips those it refuses, allocates the rest', () => {
    const rows = [...ROWS, [Buffer.from('000000000000000a', 'hex'), Buffer.alloc(70_000, 0x62)]];
    const shared = Buffer.alloc(200_000);
    let at = 0;
    const seen: number[] = [];
    const got = parseWith(copyStream(rows), 999, (row, length) => {
      seen.push(row.length);
      if (row.length === 0) return undefined; // the id: a new Buffer
      if (length > 60_000) return null; // too big: skipped
      const view = shared.subarray(at, at + length);
      at += length;
      return view;
    });
    expect(got.map((r) => r[0])).toEqual(rows.map((r) => r[0]));
    expect(got[0]![1]).toEqual(rows[0]![1]);
    expect(got[0]![1]!.buffer).toBe(shared.buffer); // written in place, not copied elsewhere
    expect(got[1]![1]).toBeNull();
    expect(got[2]![1]).toEqual(Buffer.alloc(0));
    expect(got[3]![1]).toBeNull(); // skipped
    expect(seen).toEqual([0, 1, 0, 0, 1, 0, 1]); // never asked for a NULL field (row 2)
  });

  it('refuses an allocation of the wrong length', () => {
    expect(() => parseWith(copyStream(ROWS), 64, () => Buffer.alloc(3))).toThrow(/allocator/);
  });
});

function parseWith(data: Buffer, size: number, allocate: FieldAllocator): Rows {
  const p = new BinaryCopyParser(allocate);
  for (const c of inSizes(data, size)) p.push(c);
  return p.end();
}
