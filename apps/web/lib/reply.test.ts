import { describe, expect, it } from 'vitest';
import type { Address } from './api';
import { buildReplyBody, replyRecipients, replySubject, threadingFor } from './reply';

const a = (address: string, name = ''): Address => ({ name, address });
const original = {
  from: a('bob@y.org', 'Bob'),
  to: [a('me@correio.test', 'Me'), a('carol@z.org')],
  cc: [a('Dave@w.org', 'Dave'), a('ME-ALIAS@correio.test'), a('carol@z.org')],
  replyTo: [] as Address[],
  subject: 'Plans',
  messageId: '<m2@y.org>',
  references: ['<m0@x.org>', '<m1@y.org>'],
  html: null as string | null,
  text: 'See you <tomorrow>\nBob',
};
const own = ['me@correio.test', 'me-alias@correio.test'];

describe('replySubject', () => {
  it.each([
    ['reply', 'Plans', 'Re: Plans'],
    ['reply', 'Re: Plans', 'Re: Plans'],
    ['reply', 'RE: Plans', 'RE: Plans'],
    ['reply', 'Aw: Plans', 'Aw: Plans'],
    ['replyAll', 'Fwd: Plans', 'Re: Fwd: Plans'],
    ['forward', 'Plans', 'Fwd: Plans'],
    ['forward', 'FW: Plans', 'FW: Plans'],
    ['forward', 'fwd: Plans', 'fwd: Plans'],
    ['forward', 'Re: Plans', 'Fwd: Re: Plans'],
    ['reply', '', 'Re:'],
  ] as const)('%s %j → %j', (kind, subject, expected) => {
    expect(replySubject(kind, subject)).toBe(expected);
  });
});

describe('replyRecipients', () => {
  it('Reply goes to From', () => {
    expect(replyRecipients('reply', original, own)).toEqual({ to: [{ name: 'Bob', address: 'bob@y.org' }], cc: [] });
  });
  it('Reply goes to Reply-To when present', () => {
    const r = replyRecipients('reply', { ...original, replyTo: [a('list@y.org')] }, own);
    expect(r.to).toEqual([{ address: 'list@y.org' }]);
  });
  it('Reply all adds To and Cc without own addresses (any identity, any case) or duplicates', () => {
    expect(replyRecipients('replyAll', original, own)).toEqual({
      to: [{ name: 'Bob', address: 'bob@y.org' }, { address: 'carol@z.org' }],
      cc: [{ name: 'Dave', address: 'Dave@w.org' }],
    });
  });
  it("answering one's own sent message goes to its recipients", () => {
    const sent = { ...original, from: a('me@correio.test'), to: [a('bob@y.org')], cc: [] };
    expect(replyRecipients('reply', sent, own).to).toEqual([{ address: 'bob@y.org' }]);
    expect(replyRecipients('replyAll', sent, own).to).toEqual([{ address: 'bob@y.org' }]);
  });
  it('Forward starts empty', () => {
    expect(replyRecipients('forward', original, own)).toEqual({ to: [], cc: [] });
  });
});

describe('threadingFor', () => {
  it('references = original references + its Message-ID', () => {
    expect(threadingFor(original)).toEqual({ inReplyTo: '<m2@y.org>', references: ['<m0@x.org>', '<m1@y.org>', '<m2@y.org>'] });
  });
  it('keeps at most 100 references, the newest', () => {
    const refs = Array.from({ length: 120 }, (_, i) => `<r${i}@x>`);
    const t = threadingFor({ messageId: '<last@x>', references: refs });
    expect(t.references).toHaveLength(100);
    expect(t.references?.at(-1)).toBe('<last@x>');
  });
  it('without a Message-ID there is nothing to answer', () => {
    expect(threadingFor({ messageId: null, references: [] })).toEqual({});
  });
});

describe('buildReplyBody', () => {
  it('quotes escaped text under "On <date>, <name> wrote:" below the signature', () => {
    const html = buildReplyBody('reply', original, '1 Mar 2026, 10:00', '<p>Sig</p>');
    expect(html).toBe(
      '<p></p><div data-signature=""><p>Sig</p></div><div data-quote=""><p>On 1 Mar 2026, 10:00, Bob &lt;bob@y.org&gt; wrote:</p>' +
        '<blockquote><p>See you &lt;tomorrow&gt;<br>Bob</p></blockquote></div>',
    );
  });
  it('forwards with the header block and the original HTML', () => {
    const html = buildReplyBody('forward', { ...original, html: '<p>Hello</p>' }, 'D', '');
    expect(html).toContain('---------- Forwarded message ---------<br>From: Bob &lt;bob@y.org&gt;<br>Date: D<br>Subject: Plans<br>');
    expect(html).toContain('To: Me &lt;me@correio.test&gt;, carol@z.org<br>Cc: ');
    expect(html.endsWith('</p><p>Hello</p>')).toBe(true);
    expect(html).not.toContain('<blockquote>');
  });
});
