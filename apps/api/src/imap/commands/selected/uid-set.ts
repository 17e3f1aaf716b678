/**
 * Small helpers over ascending UID / sequence-number lists used by the selected-state commands:
 * binary search and the compact "1:3,7,9:12" form of RFC 9051 sequence-set responses (COPYUID,
 * VANISHED, ESEARCH ALL, MODIFIED).
 */

/** Index of the first element >= value in an ascending array (arr.length when none). */
export function lowerBound(arr: ArrayLike<number>, value: number, length = arr.length): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * "1:3,7" for [1,2,3,7]. Input in the order it must be reported (COPYUID pairs source and destination
 * by position, RFC 4315 §3), so only runs that ascend by exactly 1 are merged; nothing is re-sorted.
 */
export function formatSet(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i] as number;
    let end = start;
    while (i + 1 < values.length && values[i + 1] === end + 1) {
      end += 1;
      i += 1;
    }
    parts.push(start === end ? String(start) : `${start}:${end}`);
    i += 1;
  }
  return parts.join(',');
}

/** Ascending, duplicate-free copy. */
export function sortUnique(values: number[]): number[] {
  const sorted = values.slice().sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}
