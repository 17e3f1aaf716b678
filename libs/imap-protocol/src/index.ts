/**
 * @correio/imap-protocol — pure IMAP syntax (no sockets, no env, no database).
 * Types: command-types.ts (the parsed commands), value-types.ts (response values),
 * message-types.ts (ENVELOPE/BODYSTRUCTURE as kept per message).
 */
export type * from './command-types';
export type * from './value-types';
export type * from './message-types';
// R2: message structure, sections, BINARY (message/) and RFC 5256 SORT/THREAD (thread/).
export * from './message/index';
