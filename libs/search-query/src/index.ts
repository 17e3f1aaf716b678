/**
 * @correio/search-query — the webmail's search syntax (Gmail's operators), pure: no sockets, env or
 * database. The server compiles the tree into SQL; the web app may parse to show errors early.
 * - parseSearchQuery(q): free text, "phrases", from: to: cc: subject: filename: has:attachment
 *   is:unread|read|starred in:<folder> label:<name> before:/after: (YYYY/MM/DD, YYYY-MM-DD)
 *   larger:/smaller: (10K, 5M), `-` negation, OR, parentheses → { ok, query } or { ok: false, error: { message, position } }.
 * - textTerms(node): the words and phrases to highlight in results (not those under a negation).
 * - SEARCH_LIMITS: query length, terms and nesting depth.
 */
export type { ParseResult, SearchField, SearchNode, SearchSyntaxError } from './ast';
export { parseSearchQuery } from './parser';
export { textTerms } from './terms';
export { SEARCH_LIMITS } from './limits';
