import { describe, expect, it } from 'vitest';
import { ReadAheadRing } from './read-ahead-ring.js';

describe('ReadAheadRing', () => {
  it('hands out regions in order and reuses space only once the oldest are released', () => {
    const ring = new ReadAheadRing(100);
    const a = ring.alloc(40)!;
    const b = ring.alloc(40)!;
    expect([a.offset, b.offset]).toEqual([0, 40]);
    expect(ring.alloc(30)).toBeUndefined(); // 20 left at the end, nothing free at the start
    ring.release(b); // out of order: b's space waits for a
    expect(ring.alloc(30)).toBeUndefined();
    ring.release(a);
    expect(ring.inUse).toBe(0);
    expect(ring.alloc(100)!.offset).toBe(0);
  });

  it('wraps around to the start when the end is too short', () => {
    const ring = new ReadAheadRing(100);
    const a = ring.alloc(50)!;
    const b = ring.alloc(30)!;
    ring.release(a);
    const c = ring.alloc(40)!; // 20 left at the end: wraps to 0
    expect(c.offset).toBe(0);
    expect(ring.alloc(11)).toBeUndefined(); // free now: [40, 50) only
    const d = ring.alloc(10)!;
    expect(d.offset).toBe(40);
    ring.release(b);
    ring.release(c);
    ring.release(d);
    expect(ring.inUse).toBe(0);
  });

  it('refuses empty and oversized regions', () => {
    const ring = new ReadAheadRing(10);
    expect(ring.alloc(0)).toBeUndefined();
    expect(ring.alloc(11)).toBeUndefined();
    expect(ring.alloc(10)!.offset).toBe(0);
  });
});
