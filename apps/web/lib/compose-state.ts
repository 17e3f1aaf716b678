/**
 * What a compose window holds. It is kept in memory by the window while it is open, and by the
 * compose context after Send (so Undo can reopen it exactly as it was).
 */
import { type RecipientChip, toWire } from './addresses';
import type { AttachmentRef, ComposeSettings, Identity, SaveDraftRequest } from './api';
import { toCidHtml } from './compose-html';

export interface ComposeAttachment {
  /** Stable React key and handle for the upload in progress. */
  key: string;
  filename: string;
  size: number;
  contentType: string;
  status: 'uploading' | 'ready' | 'failed';
  /** 0..1 while uploading. */
  progress: number;
  /** Set once the bytes are on the server (an upload, or a stored message's attachment). */
  ref: AttachmentRef | null;
  inline: boolean;
  contentId?: string;
  /** What the editor shows for an inline image (blob: while composing, or the attachment's URL). */
  previewUrl?: string;
  error?: string;
}

export interface ComposeDraft {
  from: string;
  to: RecipientChip[];
  cc: RecipientChip[];
  bcc: RecipientChip[];
  subject: string;
  /** The editor's HTML, with inline images at their preview URLs. */
  html: string;
  inReplyTo?: string;
  references?: string[];
  attachments: ComposeAttachment[];
  /** The saved draft this window replaces at its next save (changes at every save). */
  draftId: string | null;
  /** The signature as inserted (to swap it when From changes while the body still holds it). */
  signatureHtml: string | null;
  /** Where the cursor goes when the window opens. */
  focus: 'to' | 'body';
  /** A reply's quote starts folded ("Show quoted text"); it is in the body all the same. */
  isQuoteFolded?: boolean;
}

export const FALLBACK_SETTINGS: ComposeSettings = { identities: [], undoSendSeconds: 10, maxMessageBytes: 50 * 1024 * 1024 };

export function emptyDraft(from: string, signatureHtml: string): ComposeDraft {
  return {
    from,
    to: [],
    cc: [],
    bcc: [],
    subject: '',
    html: signatureHtml.trim() ? `<p></p><div data-signature="">${signatureHtml}</div>` : '',
    attachments: [],
    draftId: null,
    signatureHtml: signatureHtml.trim() ? signatureHtml : null,
    focus: 'to',
  };
}

export function primaryIdentity(identities: readonly Identity[], fallbackAddress: string): Identity {
  return identities.find((i) => i.isPrimary) ?? identities[0] ?? { address: fallbackAddress, name: '', signatureHtml: '', isPrimary: true };
}

let keySeq = 0;
export function nextKey(prefix: string): string {
  keySeq += 1;
  return `${prefix}-${Date.now().toString(36)}-${keySeq}`;
}

/** A Content-ID for a pasted image (RFC 2392: unique, addr-spec-like). */
export function newContentId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return `${random.replace(/-/g, '')}@correio`;
}

/**
 * The attachments a save or send carries: those whose bytes are on the server, without inline
 * images that were deleted from the text since (they would travel as orphan parts).
 */
export function readyRefs(attachments: readonly ComposeAttachment[], html?: string): AttachmentRef[] {
  return attachments.flatMap((a) => {
    if (a.status !== 'ready' || !a.ref) return [];
    const isOrphan = html !== undefined && a.inline && a.previewUrl !== undefined && !html.includes(a.previewUrl);
    return isOrphan ? [] : [a.ref];
  });
}

/** The HTML as the message carries it: inline images as cid: (RFC 2392). */
export function messageHtml(draft: Pick<ComposeDraft, 'html' | 'attachments'>): string {
  const byUrl = new Map<string, string>();
  for (const a of draft.attachments) if (a.previewUrl && a.contentId) byUrl.set(a.previewUrl, a.contentId);
  return toCidHtml(draft.html, byUrl);
}

export function draftRequest(draft: ComposeDraft): SaveDraftRequest {
  return {
    from: draft.from || undefined,
    to: toWire(draft.to),
    cc: toWire(draft.cc),
    bcc: toWire(draft.bcc),
    subject: draft.subject,
    html: messageHtml(draft),
    inReplyTo: draft.inReplyTo,
    references: draft.references,
    attachments: readyRefs(draft.attachments, draft.html),
  };
}

export function hasContent(draft: ComposeDraft, isBlank: (html: string) => boolean): boolean {
  return (
    draft.to.length + draft.cc.length + draft.bcc.length > 0 ||
    draft.subject.trim() !== '' ||
    draft.attachments.length > 0 ||
    !isBlank(draft.html)
  );
}
