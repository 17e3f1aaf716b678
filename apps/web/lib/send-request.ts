/**
 * The Send button's checks and request, from the compose state. Pure, so the rules (which
 * problems stop a send, undo vs schedule) are unit-tested.
 */
import { invalidAddresses, toWire } from './addresses';
import type { SendMessageRequest } from './api';
import { type ComposeDraft, messageHtml, readyRefs } from './compose-state';

/** Why this cannot be sent as it is, in words for the person; null when it can. Uploads still running are not a problem: Send waits for them. */
export function sendProblem(d: ComposeDraft): string | null {
  if (d.to.length + d.cc.length + d.bcc.length === 0) return 'Add at least one recipient.';
  const bad = invalidAddresses(d.to, d.cc, d.bcc);
  if (bad.length) return `Check these addresses: ${bad.join(', ')} ${bad.length === 1 ? 'is' : 'are'} not valid.`;
  if (d.attachments.some((a) => a.status === 'failed')) return 'Remove the attachments that failed to upload, or attach them again.';
  return null;
}

export function sendRequest(d: ComposeDraft, draftId: string | null, opts: { sendAt?: Date; undoSeconds: number }): SendMessageRequest {
  return {
    from: d.from || undefined,
    to: toWire(d.to),
    cc: toWire(d.cc),
    bcc: toWire(d.bcc),
    subject: d.subject,
    html: messageHtml(d),
    inReplyTo: d.inReplyTo,
    references: d.references,
    attachmentRefs: readyRefs(d.attachments, d.html),
    draftId: draftId ?? undefined,
    // A scheduled send is held until its time; otherwise the undo window holds it (0: at once).
    ...(opts.sendAt ? { sendAt: opts.sendAt.toISOString() } : opts.undoSeconds > 0 ? { undoSeconds: opts.undoSeconds } : {}),
  };
}
