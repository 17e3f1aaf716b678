/**
 * Message structure for FETCH (RFC 9051 §6.4.5, §7.5.2; RFC 3516):
 * - computeMessageStructure: the MIME tree with byte offsets, ENVELOPE and BODYSTRUCTURE fields, computed once and kept.
 * - envelopeValue / bodyStructureValue: the response values.
 * - sectionRange / findPart / filterHeaderFields / applyPartial: BODY[section]<partial> as byte ranges.
 * - decodeBinary / binarySize: BINARY[part] and BINARY.SIZE.
 */
export { computeMessageStructure, MESSAGE_STRUCTURE_VERSION } from './compute-structure';
export { computeEnvelope } from './envelope';
export { envelopeValue, bodyStructureValue } from './values';
export { envelopeForms, rawEnvelopeForms, bodyForms, type EnvelopeForms, type BodyForms } from './wire-forms';
export { sectionRange, findPart, applyPartial, type SectionRange } from './sections';
export { filterHeaderFields } from './header-fields';
export { decodeBinary, binarySize, decodeQuotedPrintable, type BinaryResult } from './binary';
export { decodeParameter } from './params';
export { MIME_LIMITS, type MimeLimits } from './mime-limits';
export { scanHeaderBlock, headerValue, type HeaderBlock, type HeaderField } from './header-block';
export { decodeEncodedWords } from './encoded-words';
