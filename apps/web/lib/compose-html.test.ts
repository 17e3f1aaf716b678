import { describe, expect, it } from 'vitest';
import {
  cleanPastedHtml,
  escapeHtml,
  extractSignature,
  fromCidHtml,
  isBlankBody,
  signatureBlock,
  swapSignature,
  textToHtml,
  toCidHtml,
} from './compose-html';

describe('escapeHtml / textToHtml', () => {
  it('escapes markup', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('makes paragraphs from blank lines and <br> from single ones', () => {
    expect(textToHtml('Hi <b>\nthere\r\n\r\n\nBye')).toBe('<p>Hi &lt;b&gt;<br>there</p><p>Bye</p>');
  });
});

describe('cid mapping', () => {
  const url = 'blob:http://localhost:3000/6f1c';
  it('turns the shown URL into cid: and back', () => {
    const shown = `<p>x</p><img src="${url}" alt="a"><img src="https://example.org/i.png">`;
    const sent = toCidHtml(shown, new Map([[url, 'img1@correio']]));
    expect(sent).toBe('<p>x</p><img src="cid:img1@correio" alt="a"><img src="https://example.org/i.png">');
    expect(fromCidHtml(sent, new Map([['img1@correio', url]]))).toBe(shown);
  });
  it('accepts single quotes, <angle> content ids and unknown cids stay as they are', () => {
    const html = `<img alt='x' src='cid:%3Cimg2@x%3E'><img src="cid:unknown@x">`;
    expect(fromCidHtml(html, new Map([['img2@x', '/api/v1/messages/5/attachments/1']]))).toBe(
      `<img alt='x' src="/api/v1/messages/5/attachments/1"><img src="cid:unknown@x">`,
    );
  });
  it('maps attachment URLs that the editor serialized with &amp;', () => {
    expect(toCidHtml('<img src="/a?x=1&amp;y=2">', new Map([['/a?x=1&y=2', 'c@x']]))).toBe('<img src="cid:c@x">');
  });
});

describe('signature', () => {
  const sigA = '<p>-- </p><p>Alice</p>';
  const sigB = '<p>-- </p><p>Alice at Work</p>';
  it('is found in the body', () => {
    expect(extractSignature(`<p></p>${signatureBlock(sigA)}<blockquote><p>q</p></blockquote>`)).toBe(sigA);
    expect(extractSignature('<p>no sig</p>')).toBeNull();
    expect(signatureBlock('  ')).toBe('');
  });
  it('is swapped when the body still has the old one', () => {
    const body = `<p>Hi</p>${signatureBlock(sigA)}`;
    expect(swapSignature(body, sigA, sigB)).toBe(`<p>Hi</p>${signatureBlock(sigB)}`);
  });
  it('is removed when the new identity has none', () => {
    expect(swapSignature(`<p>Hi</p>${signatureBlock(sigA)}`, sigA, '')).toBe('<p>Hi</p>');
  });
  it('is left alone once edited, or when there is none', () => {
    expect(swapSignature(`<p>Hi</p>${signatureBlock('<p>edited</p>')}`, sigA, sigB)).toBeNull();
    expect(swapSignature('<p>Hi</p>', sigA, sigB)).toBeNull();
  });
});

describe('isBlankBody', () => {
  it.each([
    ['<p></p>', true],
    ['<p>&nbsp; </p><p></p>', true],
    [`<p></p>${signatureBlock('<p>Sig</p>')}`, true],
    ['<p>x</p>', false],
    ['<p><img src="blob:x"></p>', false],
  ])('%s → %s', (html, blank) => {
    expect(isBlankBody(html)).toBe(blank);
  });
});

describe('cleanPastedHtml', () => {
  it('drops styles, classes, ids, <style> blocks and comments', () => {
    const pasted =
      '<style>p{color:red}</style><!--StartFragment--><p class="MsoNormal" style="margin:0" id=x>Hi <b style="font-weight:700">there</b></p>';
    expect(cleanPastedHtml(pasted)).toBe('<p>Hi <b>there</b></p>');
  });
});
