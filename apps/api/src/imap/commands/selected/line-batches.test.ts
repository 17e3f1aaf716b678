import { describe, expect, it } from 'vitest';
import { LINE_BATCH, lineBatches } from './fetch-lines.js';

describe('lineBatches', () => {
  it('cuts ascending UIDs into batches of at most LINE_BATCH, in order, losing none', () => {
    const uids = Array.from({ length: 2 * LINE_BATCH + 5 }, (_, i) => i + 1);
    const batches = lineBatches(uids);
    expect(batches.map((b) => b.length)).toEqual([LINE_BATCH, LINE_BATCH, 5]);
    expect(batches.flat()).toEqual(uids);
  });

  it('starts a new batch where the UIDs would span 4 × LINE_BATCH (the statement indexes an array by UID)', () => {
    const uids = [1, 2, 4 * LINE_BATCH, 4 * LINE_BATCH + 1, 9 * LINE_BATCH];
    // 4 × LINE_BATCH - 1 above the first still fits; 4 × LINE_BATCH does not.
    expect(lineBatches(uids)).toEqual([[1, 2, 4 * LINE_BATCH], [4 * LINE_BATCH + 1], [9 * LINE_BATCH]]);
  });

  it('gives no batch for no UIDs', () => {
    expect(lineBatches([])).toEqual([]);
  });
});
