/**
 * Keyset cursors of the webmail's lists: the (internal_date, id) of the last row of a page, opaque
 * to clients. Pages are stable under inserts and page N costs what page 1 does (never OFFSET).
 */
export interface KeysetCursor {
  internalDate: Date;
  id: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

export function encodeKeyset(c: KeysetCursor): string {
  return Buffer.from(`${c.internalDate.toISOString()}|${c.id}`).toString('base64url');
}

/** undefined for anything that is not a cursor we issued (the caller answers 400). */
export function decodeKeyset(raw: string): KeysetCursor | undefined {
  const [date, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!date || !id || rest.length > 0 || !ISO.test(date) || !/^[1-9]\d{0,18}$/.test(id) || BigInt(id) > MAX_BIGINT) return undefined;
  const internalDate = new Date(date);
  return Number.isNaN(internalDate.getTime()) ? undefined : { internalDate, id };
}
