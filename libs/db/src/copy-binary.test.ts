import { describe, expect, it } from 'vitest';
import { BinaryCopyParser } from './copy-binary.js';

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

/** A binary COPY stream as PostgreSQL writes it (header with an optional extension, tuples, trailer). */
function copyStream(rows: (Buffer | null)[][], extension = Buffer.alloc(0), flags = 0): Buffer {
  const parts = [SIGNATURE, int32(flags), int32(extension.length), extension];
  for (const row of rows) {
    parts.push(int16(row.length));
    for (const f of row) parts.push(...(f === null ? [int32(-1)] : [int32(f.length), f]));
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

function parseInChunks(data: Buffer, size: number): (Buffer | null)[][] {
  const p = new BinaryCopyParser();
  for (let i = 0; i < data.length; i += size) p.push(data.subarray(i, i + size));
  return p.end();
}

const ROWS: (Buffer | null)[][] = [
  [Buffer.from('0000000000000007', 'hex'), Buffer.from('From: a@b\r\n\r\nbody\r\n')],
  [Buffer.from('0000000000000008', 'hex'), null],
  [Buffer.from('0000000000000009', 'hex'), Buffer.alloc(0)],
  [Buffer.from('000000000000000a', 'hex'), Buffer.from(Array.from({ length: 70_000 }, (_, i) => i & 0xff))],
];

describe('BinaryCopyParser', () => {
  it('returns each field as sent, NULL as null, whatever the chunk boundaries', () => {
    const data = copyStream(ROWS, Buffer.from('ext'));
    for (const size of [1, 2, 3, 7, 19, 64, 65_536, data.length]) {
      expect(parseInChunks(data, size)).toEqual(ROWS);
    }
  });

  it('copies what it keeps: reusing the chunk afterwards does not change the result', () => {
    const data = copyStream(ROWS);
    const p = new BinaryCopyParser();
    const chunk = Buffer.alloc(1000);
    for (let i = 0; i < data.length; i += 1000) {
      const n = data.copy(chunk, 0, i, i + 1000);
      p.push(chunk.subarray(0, n));
      chunk.fill(0x58);
    }
    expect(p.end()).toEqual(ROWS);
  });

  it('reads zero tuples and tuples of zero fields', () => {
    expect(parseInChunks(copyStream([]), 5)).toEqual([]);
    expect(parseInChunks(copyStream([[], []]), 5)).toEqual([[], []]);
  });

  it('refuses a bad signature, OIDs, data after the trailer and a stream cut short', () => {
    const good = copyStream(ROWS);
    const bad = Buffer.from(good);
    bad[0] = 0x51;
    expect(() => new BinaryCopyParser().push(bad)).toThrow(/signature/);
    expect(() => new BinaryCopyParser().push(copyStream(ROWS, Buffer.alloc(0), 1 << 16))).toThrow(/OIDs/);
    expect(() => new BinaryCopyParser().push(Buffer.concat([good, Buffer.from([0])]))).toThrow(/after the trailer/);
    const cut = new BinaryCopyParser();
    cut.push(good.subarray(0, good.length - 1));
    expect(() => cut.end()).toThrow(/before the trailer/);
    expect(() => new BinaryCopyParser().push(Buffer.concat([SIGNATURE, int32(0), int32(0), int16(1), int32(-2)]))).toThrow(/field length/);
  });
});

describe('BinaryCopyParser with an allocator', () => {
  it('writes fields into the memory it is given, skips those it refuses, allocates the rest', () => {
    const data = copyStream(ROWS);
    const shared = Buffer.alloc(200_000);
    let at = 0;
    const seen: number[] = [];
    const rows = parseWith(data, 999, (row, length) => {
      seen.push(row.length);
      if (row.length === 0) return undefined; // the id: a new Buffer
      if (length > 60_000) return null; // too big: skipped
      const view = shared.subarray(at, at + length);
      at += length;
      return view;
    });
    expect(rows.map((r) => r[0])).toEqual(ROWS.map((r) => r[0]));
    expect(rows[0]![1]).toEqual(ROWS[0]![1]);
    expect(rows[0]![1]!.buffer).toBe(shared.buffer); // written in place, not copied elsewhere
    expect(rows[1]![1]).toBeNull();
    expect(rows[2]![1]).toEqual(Buffer.alloc(0));
    expect(rows[3]![1]).toBeNull(); // skipped
    expect(seen).toEqual([0, 1, 0, 0, 1, 0, 1]); // never asked for a NULL field (row 2)
  });

  it('refuses an allocation of the wrong length', () => {
    expect(() => parseWith(copyStream(ROWS), 64, () => Buffer.alloc(3))).toThrow(/allocator/);
  });
});

function parseWith(data: Buffer, size: number, allocate: ConstructorParameters<typeof BinaryCopyParser>[0]): (Buffer | null)[][] {
  const p = new BinaryCopyParser(allocate);
  for (let i = 0; i < data.length; i += size) p.push(data.subarray(i, i + size));
  return p.end();
}
