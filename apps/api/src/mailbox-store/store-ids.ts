const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * Ids are positive BIGINTs. Anything else names nothing here: it must be "not found", never reach
 * SQL (PostgreSQL would raise "out of range for type bigint", a 500 instead of a 404).
 */
export function isId(id: string): boolean {
  return /^[1-9]\d{0,18}$/.test(id) && BigInt(id) <= MAX_BIGINT;
}

/** Ascending BIGINT order of ids (the LOCK ORDER sorts accounts, mailboxes and messages by it). */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
