import { describe, expect, it } from 'vitest';
import { ByteSegments } from './byte-segments.js';

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
