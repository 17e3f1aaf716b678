import { simpleParser } from 'mailparser';
import { withHeaderSection } from './headerless';
import { sanitizeOutgoingHtml, plainTextToHtml } from './outgoing-html';
import { type AttachmentMeta, attachmentMeta, flattenAddresses, MIME_LIMITS } from './summarize';
import { cleanText } from './text';

/** A stored draft read back as the compose window's state. */
export interface ParsedDraft {
  from: string;
  to: { name: string; address: string }[];
  cc: { name: string; address: string }[];
  bcc: { name: string; address: string }[];
  subject: string;
  /** Sanitized with the outgoing policy; `cid:` images stay (they name the draft's inline parts). */
  html: string;
  inReplyTo: string | null;
  references: string[];
  /** Same order and numbering as extractAttachment. */
  attachments: AttachmentMeta[];
}

/**
 * Reads a draft (ours, or one an IMAP client saved into Drafts): addresses including Bcc (kept in
 * drafts), the body as HTML (a text-only draft becomes escaped paragraphs), threading headers and
 * the attachment list.
 */
export async function parseDraft(raw: Buffer): Promise<ParsedDraft> {
  const parsed = await simpleParser(withHeaderSection(raw), { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  const html = typeof parsed.html === 'string' && parsed.html.trim() ? sanitizeOutgoingHtml(parsed.html) : plainTextToHtml(parsed.text ?? '');
  const refs = parsed.references;
  return {
    from: flattenAddresses(parsed.from)[0]?.address ?? '',
    to: flattenAddresses(parsed.to),
    cc: flattenAddresses(parsed.cc),
    bcc: flattenAddresses(parsed.bcc),
    subject: cleanText(parsed.subject, 998),
    html,
    inReplyTo: parsed.inReplyTo ? cleanText(parsed.inReplyTo, 995) : null,
    references: (Array.isArray(refs) ? refs : refs ? refs.split(/\s+/) : []).map((r) => cleanText(r, 995)).filter(Boolean).slice(-MIME_LIMITS.maxReferences),
    attachments: parsed.attachments.slice(0, MIME_LIMITS.maxAttachmentsListed).map(attachmentMeta),
  };
}
