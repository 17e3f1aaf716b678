/**
 * Bounds on a query (DESIGN invariant 7: every parser has explicit limits). Each term becomes a
 * condition of one SQL statement, so these also bound the statement the server builds.
 */
export const SEARCH_LIMITS = {
  /** Gmail's search box accepts about this much; a longer "query" is a paste accident or abuse. */
  maxQueryLength: 1000,
  /** Terms (leaves) in one query: more would make a statement no index can serve well. */
  maxTerms: 32,
  /** Parentheses and negations nested: recursion stays shallow. */
  maxDepth: 8,
} as const;
