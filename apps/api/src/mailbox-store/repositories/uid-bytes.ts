/**
 * UID lists from PostgreSQL as bytes instead of int[]: node-postgres parses an int[] result with
 * a generic text parser that makes a string per element (postgres-array), ~10 ms for the 10,000 UIDs
 * of a SELECT's snapshot even when warm, and more in a fresh process (issue 11's cold SELECT). The
 * same list as one bytea of 4-byte big-endian integers is hex-decoded natively and read in a loop.
 */

/** SQL aggregate: `uid` (an int column or expression) of the rows, ascending, as bytea; NULL for no rows. */
export function uidBytesAgg(uid: string): string {
  return `string_agg(int4send(${uid}), ''::bytea ORDER BY ${uid})`;
}

/** The UIDs of a uidBytesAgg value (null: none). */
export function decodeUidBytes(bytes: Buffer | null): number[] {
  if (!bytes) return [];
  if (bytes.length % 4 !== 0) throw new Error(`a UID list of ${bytes.length} bytes is not whole 4-byte integers`);
  const uids = new Array<number>(bytes.length / 4);
  for (let i = 0; i < uids.length; i++) uids[i] = bytes.readUInt32BE(i * 4);
  return uids;
}
