import { type AddressObject, type Attachment, type HeaderLines, simpleParser } from 'mailparser';
import { findHeaderBlock, isSingleTextPart } from './header-block';
import { withHeaderSection } from './headerless';
import { sanitizeEmailHtml } from './sanitize';
import { type AttachmentMeta, attachmentMeta, flattenAddresses, listAttachments, threadingFields } from './summarize';
import { parseSimpleTextMessage } from './summarize-simple';
import { cleanText } from './text';

export interface RenderedMessage {
  text: string;
  /** Sanitized HTML, or null when the message has no HTML part. */
  html: string | null;
  hasRemoteContent: boolean;
  replyTo: { name: string; address: string }[];
  headers: { name: string; value: string }[];
  inReplyTo: string | null;
  references: string[];
  /** The same list, order and numbering as summarizeMessage's (and extractAttachment's index). */
  attachments: AttachmentMeta[];
}

/** The parts of a parse the reading pane uses: simpleParser's result, or the direct reading's. */
interface RenderInput {
  headerLines: HeaderLines;
  text?: string;
  html?: string | false;
  replyTo?: AddressObject;
  inReplyTo?: string;
  references?: string | string[];
  attachments: Attachment[];
}

// Inline images become data: URIs so they show with no request; past this total they are dropped.
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_CHARS = 2_000_000;
const MAX_HEADERS = 200;

/**
 * Everything the reading pane needs from the raw bytes, from one parse. A single plain text part in
 * UTF-8/US-ASCII (most mail a person writes, and the store's summary reads it the same way) is read
 * directly (summarize-simple.ts), without simpleParser's stream pipeline, which yields the event
 * loop after every chunk; anything else goes through simpleParser once. The reading pane used to
 * run summarizeMessage as well, a second parse of the same bytes, for In-Reply-To, References and
 * the attachment list, which this parse gives too.
 */
export async function renderMessage(raw: Buffer, options: { allowRemote: boolean }): Promise<RenderedMessage> {
  return toRendered(readSimple(raw) ?? (await parseForRender(raw)), options);
}

/** renderMessage always through simpleParser (for the test that compares the two readings). */
export async function renderWithMailparser(raw: Buffer, options: { allowRemote: boolean }): Promise<RenderedMessage> {
  return toRendered(await parseForRender(raw), options);
}

function parseForRender(raw: Buffer): Promise<RenderInput> {
  return simpleParser(withHeaderSection(raw), { skipImageLinks: true, skipTextToHtml: true });
}

function readSimple(raw: Buffer): RenderInput | undefined {
  const block = findHeaderBlock(raw);
  if (!block || !isSingleTextPart(block)) return undefined;
  const simple = parseSimpleTextMessage(raw, block);
  if (!simple) return undefined;
  return { ...simple, headerLines: simple.headerLines as HeaderLines, attachments: [] };
}

function toRendered(parsed: RenderInput, options: { allowRemote: boolean }): RenderedMessage {
  const inlineImages = new Map<string, string>();
  let inlineBytes = 0;
  for (const a of parsed.attachments) {
    if (!a.contentId || !a.contentType.startsWith('image/')) continue;
    if (inlineBytes + a.size > MAX_INLINE_IMAGE_BYTES) break;
    inlineBytes += a.size;
    inlineImages.set(a.contentId.replace(/^<|>$/g, ''), `data:${a.contentType};base64,${a.content.toString('base64')}`);
  }
  const sanitized = typeof parsed.html === 'string' && parsed.html.trim() ? sanitizeEmailHtml(parsed.html, { ...options, inlineImages }) : null;
  // A line without a colon is no header field (a headerless message yields one empty line here).
  const headers = parsed.headerLines
    .filter((h) => h.line.indexOf(':') > 0)
    .slice(0, MAX_HEADERS)
    .map((h) => {
      const colon = h.line.indexOf(':');
      return { name: cleanText(h.line.slice(0, colon), 200), value: cleanText(h.line.slice(colon + 1).trim(), 8000) };
    });
  return {
    text: cleanText(parsed.text ?? '', MAX_TEXT_CHARS),
    html: sanitized?.html ?? null,
    hasRemoteContent: sanitized?.hasRemoteContent ?? false,
    replyTo: flattenAddresses(parsed.replyTo),
    headers,
    ...threadingFields(parsed),
    attachments: listAttachments(parsed.attachments),
  };
}

/** The decoded bytes of attachment `index` (same order as summarizeMessage's list). */
export async function extractAttachment(raw: Buffer, index: number): Promise<{ meta: AttachmentMeta; content: Buffer } | undefined> {
  const parsed = await simpleParser(withHeaderSection(raw), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const a = parsed.attachments[index];
  if (!a) return undefined;
  return {
    meta: attachmentMeta(a, index),
    content: a.content,
  };
}

/** Every attachment's decoded bytes in one parse (same order and numbering as summarizeMessage's list). */
export async function extractAttachments(raw: Buffer): Promise<{ meta: AttachmentMeta; content: Buffer }[]> {
  const parsed = await simpleParser(withHeaderSection(raw), { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  return parsed.attachments.map((a, index) => ({ meta: attachmentMeta(a, index), content: a.content }));
}
