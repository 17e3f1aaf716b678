/**
 * The compose state a window opens with: from a saved draft, or as a reply/forward of a message.
 */
import { toChip } from './addresses';
import { api, type DraftAttachment, type DraftView, type Identity, type MessageDetail } from './api';
import { extractSignature, fromCidHtml } from './compose-html';
import { formatFullDate } from './format';
import { buildReplyBody, type ReplyKind, replyRecipients, replySubject, threadingFor } from './reply';
import { type ComposeAttachment, type ComposeDraft, nextKey, primaryIdentity } from './compose-state';

function previewUrlOf(a: DraftAttachment): string | undefined {
  if (!a.ref.inline || !a.ref.contentId) return undefined;
  return a.ref.source === 'message' ? api.attachmentUrl(a.ref.messageId, a.ref.index) : undefined;
}

export function draftAttachments(list: readonly DraftAttachment[]): ComposeAttachment[] {
  return list.map((a) => ({
    key: nextKey('att'),
    filename: a.filename,
    size: a.size,
    contentType: a.contentType,
    status: 'ready',
    progress: 1,
    ref: a.ref,
    inline: a.ref.inline,
    contentId: a.ref.contentId,
    previewUrl: previewUrlOf(a),
  }));
}

export function composeFromDraft(view: DraftView): ComposeDraft {
  const attachments = draftAttachments(view.attachments);
  const urls = new Map<string, string>();
  for (const a of attachments) if (a.contentId && a.previewUrl) urls.set(a.contentId, a.previewUrl);
  const html = fromCidHtml(view.html, urls);
  return {
    from: view.from,
    to: view.to.map(toChip),
    cc: view.cc.map(toChip),
    bcc: view.bcc.map(toChip),
    subject: view.subject,
    html,
    inReplyTo: view.inReplyTo ?? undefined,
    references: view.references.length ? view.references : undefined,
    attachments,
    draftId: view.id,
    signatureHtml: extractSignature(html),
    focus: 'body',
  };
}

/**
 * Undo: the window as it was when Send was pressed, now replacing the draft the cancel made. The
 * attachments are the draft's (uploads may be gone once sent); inline images keep the preview
 * URLs the body already shows.
 */
export function composeAfterUndo(snapshot: ComposeDraft, draftId: string | null, view: DraftView | null): ComposeDraft {
  if (!view) return { ...snapshot, draftId };
  const fromDraft = draftAttachments(view.attachments).map((a) => {
    const before = a.contentId ? snapshot.attachments.find((s) => s.contentId === a.contentId) : undefined;
    return before?.previewUrl ? { ...a, previewUrl: before.previewUrl } : a;
  });
  return { ...snapshot, draftId: view.id, attachments: fromDraft };
}

/** The identity a reply is written from: the one the original was sent to, else the primary. */
export function replyIdentity(detail: MessageDetail, identities: readonly Identity[], fallbackAddress: string): Identity {
  const addressed = new Set([...detail.to, ...detail.cc].map((a) => a.address.toLowerCase()));
  return identities.find((i) => addressed.has(i.address.toLowerCase())) ?? primaryIdentity(identities, fallbackAddress);
}

export function composeReply(kind: ReplyKind, detail: MessageDetail, identities: readonly Identity[], ownAddress: string): ComposeDraft {
  const identity = replyIdentity(detail, identities, ownAddress);
  const own = identities.length ? identities.map((i) => i.address) : [ownAddress];
  const { to, cc } = replyRecipients(kind, detail, own);
  const date = formatFullDate(detail.sentAt ?? detail.receivedAt);
  // Inline images of an HTML body are part of it (shown as data: by the server); forward the files.
  const files = kind === 'forward' ? detail.attachments.filter((a) => !(detail.html !== null && a.inline && a.contentId)) : [];
  return {
    from: identity.address,
    to: to.map(toChip),
    cc: cc.map(toChip),
    bcc: [],
    subject: replySubject(kind, detail.subject),
    html: buildReplyBody(kind, detail, date, identity.signatureHtml),
    ...(kind === 'forward' ? {} : threadingFor(detail)),
    attachments: files.map((a) => ({
      key: nextKey('att'),
      filename: a.filename || `attachment-${a.index + 1}`,
      size: a.size,
      contentType: a.contentType,
      status: 'ready',
      progress: 1,
      ref: { source: 'message', messageId: detail.id, index: a.index, inline: false },
      inline: false,
    })),
    draftId: null,
    signatureHtml: identity.signatureHtml.trim() ? identity.signatureHtml : null,
    focus: kind === 'forward' ? 'to' : 'body',
    isQuoteFolded: kind !== 'forward',
  };
}
