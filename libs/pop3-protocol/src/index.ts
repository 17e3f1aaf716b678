/**
 * @correio/pop3-protocol — pure POP3 syntax (no sockets, no env, no database).
 * - parseCommand: one command line → a typed Pop3Command or an error text (RFC 1939, 2449, 2595, 5034).
 * - okLine / errLine / continuationLine / multiLine: responses, with RFC 3206 codes.
 * - dotStuff / dotStuffChunks / topOf: multi-line message bodies (byte-exact, dot-stuffed, CRLF.CRLF
 *   terminated); dotStuffChunks without copying the message, for one writev.
 * - decodeSaslPlain: the AUTH PLAIN response (RFC 4616).
 * - POP3_LIMITS: line lengths and the idle timeout, each with its reason.
 */
export { parseCommand, type ParseResult, type Pop3Command, type Pop3CommandName } from './command';
export { okLine, errLine, continuationLine, multiLine, type Pop3ResponseCode } from './response';
export { chunksLength, dotStuff, dotStuffChunks, isDotStuffFree, multiLineEnd, topOf } from './dot-stuff';
export { decodeSaslPlain } from './sasl';
export { POP3_LIMITS } from './limits';
