import { describe, expect, it } from 'vitest';
import { decodeUidBytes, decodeUidBytes32, uidBytesAgg, uidBytesOfOrdered } from './uid-bytes.js';

describe('UID lists as bytes', () => {
  it('decodes 4-byte big-endian integers in order; null is no UIDs', () => {
    const b = Buffer.alloc(12);
    for (const [i, u] of [1, 65_536, 4_294_967_295].entries()) b.writeUInt32BE(u, i * 4);
    expect(decodeUidBytes(b)).toEqual([1, 65_536, 4_294_967_295]);
    expect(decodeUidBytes(null)).toEqual([]);
    expect(decodeUidBytes(Buffer.alloc(0))).toEqual([]);
  });

  it('decodes to a Uint32Array the same, from a buffer at any offset, sorting what came out of order', () => {
    const b = Buffer.alloc(17);
    for (const [i, u] of [1, 65_536, 4_294_967_295, 7].entries()) b.writeUInt32BE(u, 1 + i * 4);
    expect([...decodeUidBytes32(b.subarray(1, 13))]).toEqual([1, 65_536, 4_294_967_295]);
    expect([...decodeUidBytes32(b.subarray(1, 17))]).toEqual([1, 7, 65_536, 4_294_967_295]);
    expect(decodeUidBytes32(null)).toEqual(new Uint32Array(0));
    expect(() => decodeUidBytes32(Buffer.alloc(6))).toThrow(/4-byte/);
  });

  it('refuses a length that is not whole integers', () => {
    expect(() => decodeUidBytes(Buffer.alloc(5))).toThrow(/4-byte/);
  });

  it('sorts a list that arrived out of order (a subquery ORDER BY is not a promise for the aggregate)', () => {
    const b = Buffer.alloc(12);
    for (const [i, u] of [7, 3, 5].entries()) b.writeUInt32BE(u, i * 4);
    expect(decodeUidBytes(b)).toEqual([3, 5, 7]);
  });

  it('aggregates an ordered subquery without sorting again', () => {
    expect(uidBytesOfOrdered('SELECT uid FROM t ORDER BY uid')).toBe("(SELECT string_agg(int4send(o.uid), ''::bytea) FROM (SELECT uid FROM t ORDER BY uid) o)");
  });

  it('aggregates in UID order', () => {
    expect(uidBytesAgg('m.uid')).toBe("string_agg(int4send(m.uid), ''::bytea ORDER BY m.uid)");
  });
});
