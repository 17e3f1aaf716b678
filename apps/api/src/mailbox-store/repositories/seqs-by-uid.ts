/**
 * The sequence numbers of a batch of UIDs as FETCH's statements take them: an int[] indexed by
 * UID - lo (0 for UIDs not asked for), with the batch's lowest and highest UID. `text` is the
 * array's literal, built by a typed array's join (native code): node-postgres's arrayString escapes
 * element by element in JavaScript, ~1 ms for a batch's 2,000–8,000 numbers and several times that
 * in a process whose code is not optimized yet (issue 11's cold sync). `uids` ascending.
 */
export function seqsByUid(uids: readonly number[], seqs: readonly number[]): { lo: number; hi: number; text: string } {
  const lo = uids[0] as number;
  const hi = uids[uids.length - 1] as number;
  const dense = new Int32Array(hi - lo + 1);
  for (let i = 0; i < uids.length; i++) dense[(uids[i] as number) - lo] = seqs[i] as number;
  return { lo, hi, text: `{${dense.join(',')}}` };
}
