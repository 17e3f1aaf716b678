/**
 * @correio/mail-rules — pure mail rules (no sockets, no env, no database):
 * - the filter model (rule-types) and evaluateRules: where a delivered copy goes and what it causes;
 * - importSieve / exportSieve: the filters and vacation responder as Sieve (RFC 5228 with fileinto,
 *   imap4flags RFC 5232, vacation RFC 5230, copy RFC 3894, mime RFC 5703's has-attachment form);
 * - vacationVerdict: RFC 3834 / RFC 5230 rules on whom an automatic reply may go to;
 * - srsForward / srsReverse: SRS0 envelope rewriting for forwarded mail;
 * - parseHeaderFields: the header section as a name → values map.
 */
export type { Action, Condition, MatchOp, MessageFacts, Placement, Rule, VacationSettings } from './rule-types';
export { evaluateRules, ruleMatches, conditionMatches, needsHeaders } from './evaluate';
export { matchValue } from './match';
export { importSieve, SUPPORTED_EXTENSIONS, MAX_RULES, type ImportedScript } from './sieve-import';
export { exportSieve } from './sieve-export';
export { SieveError, MAX_SCRIPT_BYTES } from './sieve-lexer';
export { vacationVerdict, vacationSubject, type VacationInput, type VacationVerdict } from './vacation';
export { srsForward, srsReverse, SRS_MAX_AGE_DAYS, type SrsReverse } from './srs';
export { parseHeaderFields, MAX_HEADER_BYTES } from './header-fields';
