import { type AddressObject, type Attachment, simpleParser } from 'mailparser';
import { type HeaderBlock, findHeaderBlock, isSingleTextPart } from './header-block';
import { parseSimpleTextMessage, type SimpleParse } from './summarize-simple';
import { withHeaderSection } from './headerless';
import { cleanText, makeSnippet } from './text';

/** The envelope/summary fields the store keeps beside the raw bytes, for listing, threading, search. */
export interface MessageSummaryFields {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: { name: string; address: string };
  to: { name: string; address: string }[];
  cc: { name: string; address: string }[];
  sentDate: Date | null;
  snippet: string;
  attachments: AttachmentMeta[];
  /**
   * The decoded body text (HTML turned to text), cut at SEARCH_TEXT_MAX characters: the mail
   * store's search index (IMAP SEARCH BODY/TEXT) is built from it without parsing again. A single
   * text part is only parsed up to SINGLE_PART_BODY_PREFIX, so its text stops there.
   */
  bodyText?: string;
}

/** Most characters of body text kept for the search index. */
export const SEARCH_TEXT_MAX = 64 * 1024;

export interface AttachmentMeta {
  index: number;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
}

// Limits on what one message can make us parse (DESIGN invariant 7); the raw bytes are still stored.
export const MIME_LIMITS = {
  maxAddresses: 500,
  maxReferences: 100,
  maxAttachmentsListed: 500,
} as const;

export function flattenAddresses(value: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  if (!value) return [];
  const objects = Array.isArray(value) ? value : [value];
  const out: { name: string; address: string }[] = [];
  const walk = (list: AddressObject['value']) => {
    for (const a of list) {
      if (out.length >= MIME_LIMITS.maxAddresses) return;
      if (a.group) walk(a.group);
      else if (a.address) out.push({ name: cleanText(a.name, 300), address: cleanText(a.address, 320).toLowerCase() });
    }
  };
  for (const o of objects) walk(o.value);
  return out;
}

/**
 * The bytes worth parsing for the summary: all of them, or a single text part cut at a line end
 * (then with its header block, which the simple reading needs).
 */
function summaryInput(raw: Buffer): { input: Buffer; block?: HeaderBlock } {
  const block = findHeaderBlock(raw);
  if (!block || !isSingleTextPart(block)) return { input: raw };
  const end = block.length + (/text\/html/i.test(block.text) ? SINGLE_PART_BODY_PREFIX.html : SINGLE_PART_BODY_PREFIX.text);
  if (raw.length <= end) return { input: raw, block };
  const cut = raw.lastIndexOf('\r\n', end);
  return { input: raw.subarray(0, cut > block.length ? cut + 2 : end), block };
}

function asList(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).map((v) => cleanText(v, 1000)).filter(Boolean);
}

/** In-Reply-To and References as the summary keeps them (the reading pane shows the same). */
export function threadingFields(parsed: { inReplyTo?: string; references?: string | string[] }): { inReplyTo: string | null; references: string[] } {
  return {
    inReplyTo: parsed.inReplyTo ? cleanText(parsed.inReplyTo, 995) : null,
    references: asList(parsed.references).slice(-MIME_LIMITS.maxReferences),
  };
}

/** The attachments as listed everywhere (summary, reading pane, download index). */
export function listAttachments(parsed: readonly Attachment[]): AttachmentMeta[] {
  return parsed.slice(0, MIME_LIMITS.maxAttachmentsListed).map(attachmentMeta);
}

/**
 * The Date header as a Date, or null when missing or unparseable. Not mailparser's `date`: that one
 * replaces an unparseable Date with the current time, which would invent a send time.
 */
function sentDateOf(headerLines: readonly { key: string; line: string }[]): Date | null {
  const line = headerLines.find((h) => h.key === 'date')?.line;
  if (!line) return null;
  const date = new Date(line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

/** What we list of one attachment (the same order and numbering everywhere: summary, render, download). */
export function attachmentMeta(a: Attachment, index: number): AttachmentMeta {
  return {
    index,
    filename: cleanText(a.filename, 255) || `attachment-${index + 1}`,
    contentType: cleanText(a.contentType, 255) || 'application/octet-stream',
    size: a.size,
    contentId: a.contentId ? cleanText(a.contentId.replace(/^<|>$/g, ''), 255) : null,
    inline: a.contentDisposition === 'inline' || a.related === true,
  };
}

/**
 * How much of the body of a single text part is parsed. Its summary (no attachments, a snippet of
 * the first lines) depends only on the start of the body, so large text mail costs no more than
 * small. HTML gets more room: its first visible text may follow a long <head> of styles.
 */
export const SINGLE_PART_BODY_PREFIX = { text: 16 * 1024, html: 128 * 1024 } as const;

/**
 * Parses a raw message into the fields the store indexes. Never throws on malformed input. A single
 * plain text part is read directly (summarize-simple.ts), anything else by mailparser's simpleParser.
 */
export async function summarizeMessage(raw: Buffer): Promise<MessageSummaryFields> {
  const { input, block } = summaryInput(raw);
  const simple = block ? parseSimpleTextMessage(input, block) : undefined;
  return simple ? toSummary(simple, []) : parseWithMailparser(input);
}

/** summarizeMessage always through simpleParser (for the test that compares the two readings). */
export function summarizeWithMailparser(raw: Buffer): Promise<MessageSummaryFields> {
  return parseWithMailparser(summaryInput(raw).input);
}

async function parseWithMailparser(input: Buffer): Promise<MessageSummaryFields> {
  const parsed = await simpleParser(withHeaderSection(input), { skipHtmlToText: false, skipTextToHtml: true, skipImageLinks: true });
  return toSummary({ ...parsed, text: parsed.text ?? '' }, parsed.attachments);
}

function toSummary(parsed: SimpleParse, parsedAttachments: Attachment[]): MessageSummaryFields {
  const text = parsed.text;
  const from = flattenAddresses(parsed.from)[0] ?? { name: '', address: '' };
  const attachments = listAttachments(parsedAttachments);
  const sentDate = sentDateOf(parsed.headerLines);
  return {
    messageId: parsed.messageId ? cleanText(parsed.messageId, 995) : null,
    ...threadingFields(parsed),
    subject: cleanText(parsed.subject, 2000),
    from,
    to: flattenAddresses(parsed.to),
    cc: flattenAddresses(parsed.cc),
    sentDate,
    snippet: makeSnippet(text),
    attachments,
    bodyText: cleanText(text, SEARCH_TEXT_MAX),
  };
}
