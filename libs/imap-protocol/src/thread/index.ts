/**
 * SORT and THREAD (RFC 5256, RFC 5957):
 * - sortMessages: UIDs in SORT order for the criteria (ARRIVAL CC DATE FROM SIZE SUBJECT TO DISPLAYFROM DISPLAYTO, REVERSE).
 * - threadByReferences / threadByOrderedSubject: the thread trees; threadValue: their THREAD response text.
 * - extractBaseSubject / baseSubject: RFC 5256 §2.1.
 * - sortFieldsFromEnvelope / parseSentDate / parseReferences: the inputs, from the kept ENVELOPE and the References header.
 */
export { sortMessages } from './sort';
export { threadByReferences } from './references';
export { threadByOrderedSubject } from './ordered-subject';
export { threadValue } from './thread-value';
export { baseSubject, collationKey, extractBaseSubject, type BaseSubject } from './base-subject';
export { sortFieldsFromEnvelope, parseSentDate, parseReferences, type EnvelopeSortFields } from './sort-fields';
export type { SortInput, ThreadInput, ThreadNode } from './thread-types';
