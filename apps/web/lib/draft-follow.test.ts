import { describe, expect, it } from 'vitest';
import type { AttachmentRef, DraftView } from './api';
import { composeFromDraft } from './compose-open';
import { type ComposeAttachment, type ComposeDraft, draftRequest, messageHtml } from './compose-state';
import { draftOpening, followSavedRefs, latestDraftId, markGoneDraftParts } from './draft-follow';

// A resumed draft: MIME order puts the inline image (multipart/related) before the file.
const view: DraftView = {
  id: '41',
  from: 'joel@ifsc.edu',
  to: [{ name: 'Ana', address: 'ana@ifsc.edu' }],
  cc: [],
  bcc: [],
  subject: 'Plans',
  html: '<p>Look <img src="cid:pic1@correio"></p>',
  inReplyTo: null,
  references: [],
  attachments: [
    {
      ref: { source: 'message', messageId: '41', index: 0, inline: true, contentId: 'pic1@correio' },
      filename: 'pic.png',
      contentType: 'image/png',
      size: 10,
    },
    { ref: { source: 'message', messageId: '41', index: 1, inline: false }, filename: 'notes.txt', contentType: 'text/plain', size: 5 },
  ],
  savedAt: '2026-12-06T10:00:00Z',
};

const upload: ComposeAttachment = {
  key: 'up-1',
  filename: 'plan.pdf',
  size: 7,
  contentType: 'application/pdf',
  status: 'ready',
  progress: 1,
  ref: { source: 'upload', uploadId: '9', inline: false },
  inline: false,
};

/** What the API answers as `refs` for a request: parallel to it, in the new draft's MIME order. */
function serverRefs(sent: readonly AttachmentRef[], newId: string): AttachmentRef[] {
  // Inline parts first (multipart/related), then the files, each group in request order.
  const order = [...sent.keys()].sort((a, b) => Number(Boolean(sent[b]!.contentId)) - Number(Boolean(sent[a]!.contentId)));
  const refs: AttachmentRef[] = [];
  order.forEach((i, index) => {
    const s = sent[i]!;
    refs[i] = { source: 'message', messageId: newId, index, inline: s.inline, ...(s.contentId ? { contentId: s.contentId } : {}) };
  });
  return refs;
}

function save(d: ComposeDraft, newId: string): ComposeDraft {
  const request = draftRequest(d);
  return { ...d, attachments: followSavedRefs(d.attachments, request.attachments, serverRefs(request.attachments, newId)) };
}

describe('followSavedRefs', () => {
  it('a resumed draft saved again and again names the newest draft each time, matched by reference not position', () => {
    // The file comes first in the window; the server stores the inline image first.
    let d = composeFromDraft(view);
    d = { ...d, attachments: [...d.attachments].reverse() };
    const html = messageHtml(d);
    d = save(d, '42');
    expect(draftRequest(d).attachments).toEqual([
      { source: 'message', messageId: '42', index: 1, inline: false },
      { source: 'message', messageId: '42', index: 0, inline: true, contentId: 'pic1@correio' },
    ]);
    d = save(d, '43');
    expect(draftRequest(d).attachments).toEqual([
      { source: 'message', messageId: '43', index: 1, inline: false },
      { source: 'message', messageId: '43', index: 0, inline: true, contentId: 'pic1@correio' },
    ]);
    // The body still maps its image (shown at the first URL) to the same cid: part.
    expect(messageHtml(d)).toBe(html);
    expect(d.attachments.map((a) => a.filename)).toEqual(['notes.txt', 'pic.png']);
  });

  it('uploads keep their upload reference', () => {
    let d = composeFromDraft(view);
    d = { ...d, attachments: [...d.attachments, upload] };
    d = save(d, '42');
    expect(d.attachments[2]).toBe(upload);
    expect(draftRequest(d).attachments.map((r) => (r.source === 'message' ? r.messageId : `upload ${r.uploadId}`))).toEqual([
      '42',
      '42',
      'upload 9',
    ]);
  });

  it('attachments removed or added while the save was in flight are left alone', () => {
    const d = composeFromDraft(view);
    const request = draftRequest(d);
    const returned = serverRefs(request.attachments, '42');
    // Meanwhile: the image was removed, an upload added.
    const now = [d.attachments[1]!, upload];
    const after = followSavedRefs(now, request.attachments, returned);
    expect(after.map((a) => a.ref)).toEqual([{ source: 'message', messageId: '42', index: 1, inline: false }, upload.ref]);
  });

  it('two attachments with equal references are told apart by the reference object, then by order', () => {
    const a = composeFromDraft(view).attachments[1]!;
    const twin = { ...a, key: 'twin', ref: { ...(a.ref as AttachmentRef) } };
    const request = draftRequest({ ...composeFromDraft(view), html: '', attachments: [a, twin] });
    const after = followSavedRefs([twin, a], request.attachments, [
      { source: 'message', messageId: '42', index: 0, inline: false },
      { source: 'message', messageId: '42', index: 1, inline: false },
    ]);
    expect(after.map((x) => [x.key, x.ref])).toEqual([
      ['twin', { source: 'message', messageId: '42', index: 1, inline: false }],
      [a.key, { source: 'message', messageId: '42', index: 0, inline: false }],
    ]);
  });

  it('is idempotent, and a result without refs (older API) changes nothing', () => {
    const d = composeFromDraft(view);
    const request = draftRequest(d);
    const returned = serverRefs(request.attachments, '42');
    const once = followSavedRefs(d.attachments, request.attachments, returned);
    expect(followSavedRefs(once, request.attachments, returned)).toEqual(once);
    expect(followSavedRefs(d.attachments, request.attachments, undefined)).toEqual(d.attachments);
  });
});

describe('markGoneDraftParts', () => {
  it('a draft deleted elsewhere: its parts are listed as failed and left out of the next save; uploads stay', () => {
    const d = composeFromDraft(view);
    const after = { ...d, attachments: markGoneDraftParts([...d.attachments, upload], '41') };
    expect(after.attachments.map((a) => a.status)).toEqual(['failed', 'failed', 'ready']);
    expect(draftRequest(after).attachments).toEqual([upload.ref]);
  });
});

describe('draftOpening', () => {
  const replaced = new Map([
    ['41', '42'],
    ['42', '43'],
  ]);
  it('a draft the open window holds (under any of its ids) is only focused, never fetched again', () => {
    expect(draftOpening('41', replaced, new Set(['41', '42', '43']))).toEqual({ kind: 'focus' });
    expect(draftOpening('41', replaced, new Set(['43']))).toEqual({ kind: 'focus' });
    expect(draftOpening('43', replaced, new Set(['43']))).toEqual({ kind: 'focus' });
  });
  it('another draft, or no window: the newest version is opened', () => {
    expect(draftOpening('41', replaced, new Set(['7']))).toEqual({ kind: 'open', id: '43' });
    expect(draftOpening('41', replaced, new Set())).toEqual({ kind: 'open', id: '43' });
    expect(draftOpening('8', replaced, new Set())).toEqual({ kind: 'open', id: '8' });
    expect(latestDraftId(replaced, '42')).toBe('43');
  });
});
