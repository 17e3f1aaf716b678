import type { SeqRange, SequenceSet } from './command-types';

/**
 * Sequence sets (RFC 9051 §9 sequence-set): "1:5,7,9:*", or "$" (RFC 5182 SEARCHRES). Numbers are
 * nz-number: 1..4294967295, so 0 is refused.
 */

const MAX_NUMBER = 4294967295;

/** Parses the text of a sequence set; null when it is not one. */
export function parseSequenceSet(text: string): SequenceSet | null {
  if (text === '$') return { kind: 'saved' };
  if (text === '') return null;
  const ranges: SeqRange[] = [];
  for (const part of text.split(',')) {
    const bounds = part.split(':');
    if (bounds.length > 2) return null;
    const start = parseSeqNumber(bounds[0] ?? '');
    const end = bounds.length === 2 ? parseSeqNumber(bounds[1] ?? '') : start;
    if (start === null || end === null) return null;
    ranges.push({ start, end });
  }
  return { kind: 'ranges', ranges };
}

function parseSeqNumber(text: string): number | '*' | null {
  if (text === '*') return '*';
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const value = Number(text);
  return value <= MAX_NUMBER ? value : null;
}

export function formatSequenceSet(set: SequenceSet): string {
  if (set.kind === 'saved') return '$';
  return set.ranges.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}:${r.end}`)).join(',');
}

/**
 * The ranges with "*" replaced by max and each made ascending ("5:2" is "2:5", RFC 9051 §9), sorted
 * and merged. RFC 9051 §6.4.8: for UIDs "n:*" always includes the largest UID even when n is larger,
 * which this gives, since "*" becomes max and the range is then max:n. Empty when max is 0.
 */
export function resolveRanges(set: Extract<SequenceSet, { kind: 'ranges' }>, max: number): { start: number; end: number }[] {
  if (max <= 0) {
    // Nothing is in use: "*" means nothing, explicit numbers still stand (for UIDs).
    const explicit = set.ranges.filter((r) => r.start !== '*' && r.end !== '*');
    return mergeRanges(explicit.map((r) => ordered(r.start as number, r.end as number)));
  }
  return mergeRanges(set.ranges.map((r) => ordered(r.start === '*' ? max : r.start, r.end === '*' ? max : r.end)));
}

function ordered(a: number, b: number): { start: number; end: number } {
  return a <= b ? { start: a, end: b } : { start: b, end: a };
}

function mergeRanges(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

/**
 * The numbers of the set that are at most max, ascending and without duplicates (message sequence
 * numbers: max is the message count). For UID sets with large ranges use resolveRanges instead.
 */
export function expandSequenceSet(set: Extract<SequenceSet, { kind: 'ranges' }>, max: number): number[] {
  const out: number[] = [];
  for (const r of resolveRanges(set, max)) {
    for (let n = r.start; n <= Math.min(r.end, max); n++) out.push(n);
  }
  return out;
}

/** True when n is in the set ("*" = max). */
export function sequenceSetHas(set: Extract<SequenceSet, { kind: 'ranges' }>, n: number, max: number): boolean {
  return set.ranges.some((r) => {
    const a = r.start === '*' ? max : r.start;
    const b = r.end === '*' ? max : r.end;
    return n >= Math.min(a, b) && n <= Math.max(a, b);
  });
}

/** The largest explicit number in the set (to check message numbers against the count), 0 if only "*". */
export function largestNumber(set: Extract<SequenceSet, { kind: 'ranges' }>): number {
  let largest = 0;
  for (const r of set.ranges) {
    if (r.start !== '*' && r.start > largest) largest = r.start;
    if (r.end !== '*' && r.end > largest) largest = r.end;
  }
  return largest;
}

/**
 * A list of numbers as a compact set: [1,2,3,4,5,7,9,10,11,12] → "1:5,7,9:12". Sorts and drops
 * duplicates first. Used for VANISHED (RFC 7162 §3.2.10), COPYUID (RFC 4315) and ESEARCH ALL
 * (RFC 4731). Empty string for an empty list.
 */
export function compressUids(numbers: readonly number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const start = sorted[i] as number;
    let end = start;
    while (i + 1 < sorted.length && (sorted[i + 1] as number) <= end + 1) {
      end = sorted[i + 1] as number;
      i++;
    }
    parts.push(start === end ? `${start}` : `${start}:${end}`);
    i++;
  }
  return parts.join(',');
}
