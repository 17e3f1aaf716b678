/**
 * Following a draft from save to save. Every save replaces the draft under a new id and expunges the
 * old one, so whatever named the old version (the window's attachment references, a reading pane
 * still showing it) must follow to the new one. Pure, so the rules are unit-tested.
 */
import type { AttachmentRef } from './api';
import type { ComposeAttachment } from './compose-state';

const sameRef = (a: AttachmentRef, b: AttachmentRef) =>
  a.source === b.source &&
  a.inline === b.inline &&
  a.contentId === b.contentId &&
  (a.source === 'upload'
    ? b.source === 'upload' && a.uploadId === b.uploadId
    : b.source === 'message' && a.messageId === b.messageId && a.index === b.index);

/**
 * After a save: each window attachment that went into it as a `message` reference (a resumed
 * draft's, a forward's) takes the reference the save returned for it: `returned` is the result's
 * `refs`, parallel to `sent` (the request's attachments). An attachment is recognized by the very
 * reference object it was sent with (else an equal one not claimed yet), never by its position:
 * MIME order is not request order. Uploads keep their upload reference; attachments added or
 * removed while the save was in flight are left as they are. Applying it twice changes nothing.
 */
export function followSavedRefs(
  attachments: readonly ComposeAttachment[],
  sent: readonly AttachmentRef[],
  returned: readonly AttachmentRef[] | undefined,
): ComposeAttachment[] {
  if (!returned || returned.length !== sent.length) return [...attachments];
  const claimed = new Set<number>();
  const byIdentity = attachments.map((a) => (a.ref ? sent.indexOf(a.ref) : -1));
  for (const i of byIdentity) if (i >= 0) claimed.add(i);
  return attachments.map((a, k) => {
    if (a.ref?.source !== 'message') return a;
    let i = byIdentity[k]!;
    if (i < 0) {
      const ref = a.ref;
      i = sent.findIndex((s, j) => !claimed.has(j) && sameRef(s, ref));
      if (i < 0) return a;
      claimed.add(i);
    }
    const next = returned[i]!;
    return sameRef(next, a.ref) ? a : { ...a, ref: next, inline: next.inline, contentId: next.contentId ?? a.contentId };
  });
}

/**
 * The draft was deleted elsewhere (an IMAP client): its parts are gone with it, so the attachments
 * that named it cannot be saved or sent any more. They stay listed as failed (attach them again);
 * the rest of the window is saved as a new draft.
 */
export function markGoneDraftParts(attachments: readonly ComposeAttachment[], goneDraftId: string): ComposeAttachment[] {
  return attachments.map((a) =>
    a.ref?.source === 'message' && a.ref.messageId === goneDraftId && a.status === 'ready'
      ? { ...a, status: 'failed', ref: null, error: 'The draft holding this file was deleted elsewhere. Attach it again.' }
      : a,
  );
}

/** The newest version of a draft, following old id → new id as saves reported them. */
export function latestDraftId(replacedBy: ReadonlyMap<string, string>, id: string): string {
  let current = id;
  for (let i = 0; i < 1000 && replacedBy.has(current); i++) current = replacedBy.get(current) as string;
  return current;
}

export type DraftOpening = { kind: 'focus' } | { kind: 'open'; id: string };

/**
 * "Edit draft" (or a draft selected in the list): a draft the open window already holds is not
 * fetched again — reopening would show an older version while the old window's last save replaces
 * it, and the new window would then save to a gone id. The window is restored and focused instead.
 * Otherwise the newest version is opened.
 */
export function draftOpening(
  requestedId: string,
  replacedBy: ReadonlyMap<string, string>,
  openWindowIds: ReadonlySet<string>,
): DraftOpening {
  const id = latestDraftId(replacedBy, requestedId);
  return openWindowIds.has(id) || openWindowIds.has(requestedId) ? { kind: 'focus' } : { kind: 'open', id };
}
