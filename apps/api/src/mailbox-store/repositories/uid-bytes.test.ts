import { describe, expect, it } from 'vitest';
import { decodeUidBytes, uidBytesAgg } from './uid-bytes.js';

describe('UID lists as bytes', () => {
  it('decodes 4-byte big-endian integers in order; null is no UIDs', () => {
    const b = Buffer.alloc(12);
    for (const [i, u] of [1, 65_536, 4_294_967_295].entries()) b.writeUInt32BE(u, i * 4);
    expect(decodeUidBytes(b)).toEqual([1, 65_536, 4_294_967_295]);
    expect(decodeUidBytes(null)).toEqual([]);
    expect(decodeUidBytes(Buffer.alloc(0))).toEqual([]);
  });

  it('refuses a length that is not whole integers', () => {
    expect(() => decodeUidBytes(Buffer.alloc(5))).toThrow(/4-byte/);
  });

  it('aggregates in UID order', () => {
    expect(uidBytesAgg('m.uid')).toBe("string_agg(int4send(m.uid), ''::bytea ORDER BY m.uid)");
  });
});
