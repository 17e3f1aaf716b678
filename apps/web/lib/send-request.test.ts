import { describe, expect, it } from 'vitest';
import { parseAddressList } from './addresses';
import { type ComposeAttachment, emptyDraft } from './compose-state';
import { sendProblem, sendRequest } from './send-request';

const draft = { ...emptyDraft('joel@ifsc.edu', ''), to: parseAddressList('Ana <ana@ifsc.edu>'), subject: 'Oi', html: '<p>Oi</p>' };
const file = (p: Partial<ComposeAttachment>): ComposeAttachment => ({
  key: 'k',
  filename: 'a.txt',
  size: 1,
  contentType: 'text/plain',
  status: 'ready',
  progress: 1,
  ref: { source: 'upload', uploadId: '3', inline: false },
  inline: false,
  ...p,
});

describe('sendProblem', () => {
  it.each([
    ['no recipient', { ...draft, to: [] }, 'Add at least one recipient.'],
    ['invalid ones, named', { ...draft, cc: parseAddressList('nope, bad@') }, 'Check these addresses: nope, bad@ are not valid.'],
    [
      'a failed upload',
      { ...draft, attachments: [file({ status: 'failed', ref: null })] },
      'Remove the attachments that failed to upload, or attach them again.',
    ],
    ['an upload still running (Send waits)', { ...draft, attachments: [file({ status: 'uploading', ref: null })] }, null],
    ['a fine message', draft, null],
  ])('%s', (_what, d, expected) => {
    expect(sendProblem(d)).toBe(expected);
  });
});

describe('sendRequest', () => {
  it('holds for the undo window, names the draft, and carries only finished attachments', () => {
    const d = { ...draft, attachments: [file({}), file({ key: 'u', status: 'uploading', ref: null })] };
    expect(sendRequest(d, '41', { undoSeconds: 10 })).toEqual({
      from: 'joel@ifsc.edu',
      to: [{ name: 'Ana', address: 'ana@ifsc.edu' }],
      cc: [],
      bcc: [],
      subject: 'Oi',
      html: '<p>Oi</p>',
      inReplyTo: undefined,
      references: undefined,
      attachmentRefs: [{ source: 'upload', uploadId: '3', inline: false }],
      draftId: '41',
      undoSeconds: 10,
    });
  });
  it('leaves out inline images deleted from the text', () => {
    const pic = (url: string, id: string) =>
      file({
        key: id,
        inline: true,
        previewUrl: url,
        contentId: `${id}@c`,
        ref: { source: 'upload', uploadId: id, inline: true, contentId: `${id}@c` },
      });
    const d = { ...draft, html: '<p>Oi <img src="blob:x/1"></p>', attachments: [pic('blob:x/1', '1'), pic('blob:x/2', '2')] };
    const req = sendRequest(d, null, { undoSeconds: 0 });
    expect(req.attachmentRefs).toEqual([{ source: 'upload', uploadId: '1', inline: true, contentId: '1@c' }]);
    expect(req.html).toBe('<p>Oi <img src="cid:1@c"></p>');
  });
  it('a scheduled send has sendAt and no undo; undo 0 sends at once', () => {
    const at = new Date('2026-12-07T08:00:00Z');
    const scheduled = sendRequest(draft, null, { sendAt: at, undoSeconds: 10 });
    expect(scheduled.sendAt).toBe('2026-12-07T08:00:00.000Z');
    expect(scheduled.undoSeconds).toBeUndefined();
    expect(scheduled.draftId).toBeUndefined();
    const now = sendRequest(draft, null, { undoSeconds: 0 });
    expect(now.undoSeconds).toBeUndefined();
    expect(now.sendAt).toBeUndefined();
  });
});
