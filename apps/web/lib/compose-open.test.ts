import { describe, expect, it } from 'vitest';
import type { DraftView, Identity, MessageDetail } from './api';
import { composeAfterUndo, composeFromDraft, composeReply, replyIdentity } from './compose-open';
import { type ComposeDraft, draftRequest, emptyDraft, hasContent, messageHtml } from './compose-state';
import { isBlankBody } from './compose-html';

const view: DraftView = {
  id: '41',
  from: 'joel@ifsc.edu',
  to: [{ name: 'Ana', address: 'ana@ifsc.edu' }],
  cc: [],
  bcc: [{ name: '', address: 'boss@ifsc.edu' }],
  subject: 'Plans',
  html: '<p>Look <img src="cid:pic1@correio"></p><div data-signature=""><p>Joel</p></div>',
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

describe('composeFromDraft', () => {
  it('shows inline images at their attachment URL and maps them back to cid: for the next save', () => {
    const d = composeFromDraft(view);
    expect(d.html).toContain('<img src="/api/v1/messages/41/attachments/0">');
    expect(d.draftId).toBe('41');
    expect(d.signatureHtml).toBe('<p>Joel</p>');
    expect(d.to).toEqual([{ name: 'Ana', address: 'ana@ifsc.edu', isValid: true }]);
    expect(d.bcc).toEqual([{ address: 'boss@ifsc.edu', isValid: true }]);
    const req = draftRequest(d);
    expect(req.html).toContain('<img src="cid:pic1@correio">');
    expect(req.attachments).toEqual(view.attachments.map((a) => a.ref));
    expect(req.bcc).toEqual([{ address: 'boss@ifsc.edu' }]);
  });
});

describe('composeAfterUndo', () => {
  const snapshot: ComposeDraft = {
    ...emptyDraft('joel@ifsc.edu', ''),
    subject: 'Plans',
    html: '<p><img src="blob:x/1"></p>',
    attachments: [
      {
        key: 'k',
        filename: 'pic.png',
        size: 10,
        contentType: 'image/png',
        status: 'ready',
        progress: 1,
        inline: true,
        contentId: 'pic1@correio',
        previewUrl: 'blob:x/1',
        ref: { source: 'upload', uploadId: '7', inline: true, contentId: 'pic1@correio' },
      },
    ],
  };
  it('takes the attachments of the draft the cancel made, keeping the preview the body shows', () => {
    const d = composeAfterUndo(snapshot, '41', view);
    expect(d.draftId).toBe('41');
    expect(d.subject).toBe('Plans');
    expect(d.attachments.map((a) => a.ref)).toEqual(view.attachments.map((a) => a.ref));
    expect(d.attachments[0]?.previewUrl).toBe('blob:x/1');
    expect(messageHtml(d)).toBe('<p><img src="cid:pic1@correio"></p>');
  });
  it('keeps the snapshot when the draft cannot be read', () => {
    expect(composeAfterUndo(snapshot, '41', null)).toEqual({ ...snapshot, draftId: '41' });
  });
});

const identities: Identity[] = [
  { address: 'joel@ifsc.edu', name: 'Joel', signatureHtml: '<p>Joel</p>', isPrimary: true },
  { address: 'suporte@ifsc.edu', name: 'Suporte', signatureHtml: '<p>Suporte</p>', isPrimary: false },
];
const detail = {
  id: '9',
  from: { name: 'Bruna', address: 'bruna@x.fr' },
  to: [{ name: '', address: 'suporte@ifsc.edu' }],
  cc: [{ name: '', address: 'carla@ifsc.edu' }],
  replyTo: [],
  subject: 'Ajuda',
  messageId: '<a@x.fr>',
  references: [],
  html: null,
  text: 'Oi',
  sentAt: '2026-12-01T10:00:00Z',
  receivedAt: '2026-12-01T10:00:01Z',
  attachments: [
    { index: 0, filename: 'a.pdf', contentType: 'application/pdf', size: 3, contentId: null, inline: false },
    { index: 1, filename: 'logo.png', contentType: 'image/png', size: 3, contentId: 'logo', inline: true },
  ],
} as unknown as MessageDetail;

describe('composeReply', () => {
  it('answers from the identity the message was sent to, with its signature above the quote', () => {
    expect(replyIdentity(detail, identities, 'joel@ifsc.edu').address).toBe('suporte@ifsc.edu');
    const d = composeReply('replyAll', detail, identities, 'joel@ifsc.edu');
    expect(d.from).toBe('suporte@ifsc.edu');
    expect(d.to.map((r) => r.address)).toEqual(['bruna@x.fr']);
    expect(d.cc.map((r) => r.address)).toEqual(['carla@ifsc.edu']);
    expect(d.html.indexOf('<p>Suporte</p>')).toBeLessThan(d.html.indexOf('wrote:'));
    expect(d.inReplyTo).toBe('<a@x.fr>');
    expect(d.focus).toBe('body');
    expect(d.attachments).toEqual([]);
  });
  it('forwards every attachment of a text message as message refs, focus on To', () => {
    const d = composeReply('forward', detail, identities, 'joel@ifsc.edu');
    expect(d.attachments.map((a) => a.ref)).toEqual([
      { source: 'message', messageId: '9', index: 0, inline: false },
      { source: 'message', messageId: '9', index: 1, inline: false },
    ]);
    expect(d.inReplyTo).toBeUndefined();
    expect(d.focus).toBe('to');
    expect(d.subject).toBe('Fwd: Ajuda');
  });
  it('leaves out the inline parts of an HTML message (they are in its body)', () => {
    const d = composeReply('forward', { ...detail, html: '<p>Oi <img src="data:image/png;base64,AA=="></p>' }, identities, 'joel@ifsc.edu');
    expect(d.attachments.map((a) => a.filename)).toEqual(['a.pdf']);
  });
});

describe('hasContent', () => {
  it('an untouched window (only the signature) has nothing worth a draft', () => {
    expect(hasContent(emptyDraft('joel@ifsc.edu', '<p>Joel</p>'), isBlankBody)).toBe(false);
    expect(hasContent({ ...emptyDraft('joel@ifsc.edu', ''), subject: 'x' }, isBlankBody)).toBe(true);
  });
});
