/**
 * Turns a `{ query }` bulk target (the search syntax of GET /api/v1/messages?q=) into message ids.
 * Bound to SearchQueryResolver (search-query.resolver.ts); a token so tests can bind another.
 */
export interface BulkQueryResolver {
  /** Ids of the account's messages matching `query`, newest first, at most `max`. */
  resolve(accountId: string, query: string, mailboxId: string | undefined, max: number): Promise<string[]>;
}

export const BULK_QUERY_RESOLVER = Symbol('BULK_QUERY_RESOLVER');
