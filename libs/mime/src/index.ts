/**
 * @correio/mime — pure MIME helpers (no sockets, no env, no database).
 * - summarizeMessage: raw RFC 5322 bytes → the envelope/summary fields the store indexes.
 * - renderMessage: raw bytes → text, sanitized HTML (remote content blocked unless allowed), headers.
 * - extractAttachment: one attachment's decoded bytes.
 * - sanitizeEmailHtml, cleanText: the building blocks, exported for tests and other renderers.
 * - composeMessage: a form → MIME (text alternative derived from HTML, inline cid: parts, Bcc kept in drafts).
 * - sanitizeOutgoingHtml, htmlToPlainText: HTML users write (compose, drafts, signatures).
 * - parseDraft: a stored draft → compose state.
 */
export { summarizeMessage, MIME_LIMITS, type MessageSummaryFields, type AttachmentMeta } from './summarize';
export { renderMessage, extractAttachment, extractAttachments, type RenderedMessage } from './render';
export { sanitizeEmailHtml, type SanitizeOptions, type SanitizedHtml } from './sanitize';
export { cleanText, makeSnippet } from './text';
export { withHeaderSection } from './headerless';
export { composeMessage, type ComposeFields, type ComposeAddress, type ComposedMessage } from './compose';
export { findHeaderBlock, isSingleTextPart, hasBodySignatures, type HeaderBlock } from './header-block';
export { checkMimeStructure, MIME_STRUCTURE_LIMITS, type MimeStructureVerdict } from './structure';
export { sanitizeOutgoingHtml, htmlToPlainText, plainTextToHtml } from './outgoing-html';
export { parseDraft, type ParsedDraft } from './draft';
