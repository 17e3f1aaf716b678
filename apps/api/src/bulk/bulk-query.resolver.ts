/**
 * Turns a `{ query }` bulk target (the search syntax of GET /api/v1/messages?q=) into message ids.
 * The search itself (libs/search-query + MessageSearchService) is built on the mail-api branch; this
 * token is the seam. Until the integrator binds it, a query target answers 400.
 *
 * INTEGRATION (after merging mail-api): provide BULK_QUERY_RESOLVER with a class that does
 *   const parsed = parseSearchQuery(query);            // @correio/search-query
 *   if (!parsed.ok) throw AppError.invalid(...);
 *   loop: rows = await search.search({ accountId, query: parsed.query, mailboxId, limit: 1000, cursor });
 *         collect rows' ids, cursor = last row's (internalDate, id), until fewer than 1000 or `max`.
 * and the search's `label:` should also accept a label's name (labels.keyword), see LabelsService.
 */
export interface BulkQueryResolver {
  /** Ids of the account's messages matching `query`, newest first, at most `max`. */
  resolve(accountId: string, query: string, mailboxId: string | undefined, max: number): Promise<string[]>;
}

export const BULK_QUERY_RESOLVER = Symbol('BULK_QUERY_RESOLVER');
