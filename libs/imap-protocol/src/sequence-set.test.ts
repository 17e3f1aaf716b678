import { describe, expect, it } from 'vitest';
import {
  compressUids,
  expandSequenceSet,
  formatSequenceSet,
  largestNumber,
  parseSequenceSet,
  resolveRanges,
  sequenceSetHas,
} from './sequence-set';

function ranges(text: string) {
  const set = parseSequenceSet(text);
  if (set?.kind !== 'ranges') throw new Error(`not a range set: ${text}`);
  return set;
}

describe('parseSequenceSet / formatSequenceSet', () => {
  it.each(['1', '1:5', '1:*', '*', '*:4', '2,4:7,9,12:*', '4294967295', '5:2'])('%s round-trips', (text) => {
    expect(formatSequenceSet(parseSequenceSet(text) ?? { kind: 'saved' })).toBe(text);
  });

  it('reads "$" as the saved result (RFC 5182)', () => {
    expect(parseSequenceSet('$')).toEqual({ kind: 'saved' });
    expect(formatSequenceSet({ kind: 'saved' })).toBe('$');
  });

  it.each(['', '0', '0:5', '1:0', '01', '1,', ',1', '1::2', '1:2:3', '4294967296', 'a', '$,1', '1:$', '-1', '1 2'])(
    'refuses %j',
    (text) => {
      expect(parseSequenceSet(text)).toBeNull();
    },
  );
});

describe('resolveRanges / expandSequenceSet / sequenceSetHas / largestNumber', () => {
  it('replaces "*" by max, orders each range and merges', () => {
    expect(resolveRanges(ranges('9:*,1:3,2:5,7'), 10)).toEqual([
      { start: 1, end: 5 },
      { start: 7, end: 7 },
      { start: 9, end: 10 },
    ]);
    expect(resolveRanges(ranges('1:3,4,5:6'), 10)).toEqual([{ start: 1, end: 6 }]);
    expect(resolveRanges(ranges('5:2'), 10)).toEqual([{ start: 2, end: 5 }]);
  });

  it('"n:*" with n above max still includes max (RFC 9051 §6.4.8)', () => {
    expect(resolveRanges(ranges('20:*'), 10)).toEqual([{ start: 10, end: 20 }]);
    expect(expandSequenceSet(ranges('20:*'), 10)).toEqual([10]);
  });

  it('an empty mailbox: "*" names nothing, explicit numbers stay', () => {
    expect(resolveRanges(ranges('1:*'), 0)).toEqual([]);
    expect(resolveRanges(ranges('3,1:*'), 0)).toEqual([{ start: 3, end: 3 }]);
  });

  it('expands message numbers up to max, without duplicates', () => {
    expect(expandSequenceSet(ranges('3,1:2,2:4,9'), 5)).toEqual([1, 2, 3, 4]);
    expect(expandSequenceSet(ranges('*'), 5)).toEqual([5]);
  });

  it('tests membership', () => {
    const set = ranges('2:4,*');
    expect([1, 2, 4, 5, 9].map((n) => sequenceSetHas(set, n, 9))).toEqual([false, true, true, false, true]);
  });

  it('finds the largest explicit number', () => {
    expect(largestNumber(ranges('3:7,2,*'))).toBe(7);
    expect(largestNumber(ranges('*'))).toBe(0);
  });
});

describe('compressUids', () => {
  it.each([
    [[], ''],
    [[7], '7'],
    [[1, 2, 3, 4, 5, 7, 9, 10, 11, 12], '1:5,7,9:12'],
    [[12, 9, 1, 3, 2, 10, 11, 1], '1:3,9:12'],
    [[1, 3, 5], '1,3,5'],
    [[4294967294, 4294967295], '4294967294:4294967295'],
  ])('%j → %j', (uids, text) => {
    expect(compressUids(uids)).toBe(text);
  });
});
