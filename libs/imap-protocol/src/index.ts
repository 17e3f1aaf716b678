/**
 * @correio/imap-protocol — pure IMAP syntax (no sockets, no env, no database).
 * Types: command-types.ts (the parsed commands), value-types.ts (response values),
 * message-types.ts (ENVELOPE/BODYSTRUCTURE as kept per message).
 *
 * Reading commands:
 * - CommandReceiver: bytes → events (a whole command frame with its literals, "continue" for a
 *   synchronizing literal, a raw line in readRawLine mode for IDLE's DONE and AUTHENTICATE, or a
 *   refusal with tag/status/code and isFatal). receiverLimits() builds its limits from session facts.
 *   Pull events with next() after each push(); call readRawLine() before the next() that must
 *   return a raw line. readTag reads a line's tag (for answering a refused line).
 * - parseCommand(frame | wire text, ctx): a frame → ParseResult (typed ImapCommand or BAD text);
 *   never throws. The parser keeps what the client asked: UID FETCH does not add UID, CHANGEDSINCE
 *   does not add MODSEQ, \Recent in STORE/APPEND is returned — the handlers decide (RFC 9051
 *   §6.4.9, RFC 7162 §3.1.4.1). frameFromWire(text) frames wire text without limits (tests, tools).
 * Values and sets:
 * - parseSequenceSet / formatSequenceSet / resolveRanges / expandSequenceSet / sequenceSetHas /
 *   largestNumber / compressUids.
 * - encodeModifiedUtf7 / decodeModifiedUtf7 (RFC 3501 §5.1.3 mailbox names).
 * Writing responses:
 * - encodeValue / encodeValues / encodeString (quoted or literal), quoteString, astring,
 *   formatDateTime (INTERNALDATE text, unquoted: wrap it as { string }).
 * - taggedLine / untaggedStatusLine / untaggedLine / continuationLine.
 * - capabilities / capabilityText (the CAPABILITY list for the session's state).
 * - IMAP_LIMITS: the wire limits, each with its reason.
 */
export type * from './command-types';
export type * from './value-types';
export type * from './message-types';
export { CommandReceiver, type CommandFrame, type FrameLiteral, type ReceiverEvent } from './receiver';
export { readTag } from './receiver-scan';
export { IMAP_LIMITS, receiverLimits, type ReceiverLimits, type SessionLimitFacts } from './limits';
export { parseCommand, frameFromWire } from './parse-command';
export {
  compressUids,
  expandSequenceSet,
  formatSequenceSet,
  largestNumber,
  parseSequenceSet,
  resolveRanges,
  sequenceSetHas,
} from './sequence-set';
export { decodeModifiedUtf7, encodeModifiedUtf7 } from './mutf7';
export { astring, encodeString, encodeValue, encodeValues, formatDateTime, quoteString, type EncodeOptions } from './encode-value';
export { continuationLine, taggedLine, untaggedLine, untaggedStatusLine, type ImapStatus } from './response';
export { capabilities, capabilityText, type CapabilityFacts } from './capabilities';
// R2: message structure, sections, BINARY (message/) and RFC 5256 SORT/THREAD (thread/).
export * from './message/index';
export * from './thread/index';
