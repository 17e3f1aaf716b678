import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMessage } from './compose';
import { parseDraft } from './draft';
import { htmlToPlainText, sanitizeOutgoingHtml } from './outgoing-html';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('sanitizeOutgoingHtml', () => {
  it.each([
    ['<p>Oi <b>Joel</b><script>alert(1)</script></p>', '<p>Oi <b>Joel</b></p>'],
    ['<p onclick="x()" style="color:red;position:fixed;top:0">a</p>', '<p style="color:red">a</p>'],
    ['<a href="javascript:alert(1)">x</a><a href="https://ifsc.edu">y</a>', '<a>x</a><a href="https://ifsc.edu">y</a>'],
    ['<img src="https://tracker.example/a.gif"><img src="cid:logo@x">', '<img /><img src="cid:logo@x" />'],
    ['<img src="data:text/html;base64,PHNjcmlwdD4=">', '<img />'],
    ['<style>body{display:none}</style><blockquote><ul><li>um</li></ul></blockquote>', '<blockquote><ul><li>um</li></ul></blockquote>'],
    ['<iframe src="https://x"></iframe><form><input></form>ok', 'ok'],
  ])('%s', (input, output) => {
    expect(sanitizeOutgoingHtml(input)).toBe(output);
  });
});

describe('htmlToPlainText', () => {
  it('keeps links, lists and quotes readable', () => {
    const text = htmlToPlainText(
      '<p>Veja <a href="https://ifsc.edu/doc">o documento</a>.</p><ul><li>um</li><li>dois</li></ul><ol><li>primeiro</li></ol>' +
        '<blockquote><p>citado</p></blockquote><p>Bruna</p>',
    );
    expect(text).toBe('Veja o documento [https://ifsc.edu/doc].\n\n* um\n* dois\n\n 1. primeiro\n\n> citado\n\nBruna');
  });
});

describe('composeMessage for the webmail', () => {
  it('derives the text alternative, puts cid: images in multipart/related, keeps Bcc only when asked', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const { raw } = await composeMessage({
      from: { address: 'bruna@paulolopes.fr' },
      to: [{ address: 'joel@ifsc.edu' }],
      bcc: [{ address: 'carlos@ifsc.edu' }],
      keepBcc: true,
      subject: 'logo',
      html: '<p>Nosso <b>logo</b>:</p><img src="cid:logo@paulolopes.fr">',
      attachments: [
        { filename: 'logo.png', contentType: 'image/png', content: png, contentId: 'logo@paulolopes.fr' },
        { filename: 'a.txt', contentType: 'text/plain', content: Buffer.from('anexo') },
      ],
      messageIdDomain: 'paulolopes.fr',
    });
    const text = raw.toString();
    expect(text).toMatch(/multipart\/alternative/);
    expect(text).toMatch(/multipart\/related/);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe('Nosso logo:');
    expect(parsed.attachments.map((a) => [a.filename, a.contentId, sha256(a.content)])).toEqual([
      ['logo.png', '<logo@paulolopes.fr>', sha256(png)],
      ['a.txt', undefined, sha256(Buffer.from('anexo'))],
    ]);
    const draft = await parseDraft(raw);
    expect(draft).toMatchObject({ subject: 'logo', bcc: [{ address: 'carlos@ifsc.edu' }], from: 'bruna@paulolopes.fr' });
    expect(draft.html).toContain('src="cid:logo@paulolopes.fr"');
    expect(draft.attachments.map((a) => [a.index, a.filename, a.contentId, a.inline])).toEqual([
      [0, 'logo.png', 'logo@paulolopes.fr', true],
      [1, 'a.txt', null, false],
    ]);
  });

  it('a text-only draft comes back as escaped paragraphs', async () => {
    const { raw } = await composeMessage({ from: { address: 'a@b.example' }, to: [], subject: '', text: 'a < b\nlinha\n\nfim', messageIdDomain: 'b.example' });
    expect((await parseDraft(raw)).html).toBe('<p>a &lt; b<br>linha</p><p>fim</p>');
  });
});
