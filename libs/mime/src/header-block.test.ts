import { describe, expect, it } from 'vitest';
import { findHeaderBlock, hasBodySignatures, isSingleTextPart } from './header-block';
import { checkMimeStructure } from './structure';
import { summarizeMessage } from './summarize';
import { makeSnippet } from './text';

const block = (headers: string) => findHeaderBlock(Buffer.from(`${headers}\r\n\r\nbody\r\n`))!;

describe('the top-level header block', () => {
  it('is found up to and including the empty line, or not at all', () => {
    const raw = Buffer.from('Subject: a\r\nFrom: b@c\r\n\r\nline\r\n\r\nmore\r\n');
    expect(findHeaderBlock(raw)).toEqual({ length: 25, text: 'Subject: a\r\nFrom: b@c\r\n' });
    expect(findHeaderBlock(Buffer.from('Subject: no end\r\n'))).toBeUndefined();
    expect(findHeaderBlock(Buffer.from(`X: ${'a'.repeat(2000)}\r\n\r\n`), 1000)).toBeUndefined();
  });

  it.each([
    ['no Content-Type (RFC 2045 §5.2: text/plain)', 'Subject: hi', true],
    ['text/plain', 'Content-Type: text/plain; charset=utf-8', true],
    ['folded text/html', 'Content-Type:\r\n\tTEXT/HTML; charset="iso-8859-1"', true],
    ['multipart/mixed', 'Content-Type: multipart/mixed; boundary=x', false],
    ['folded multipart', 'Content-Type:\r\n multipart/alternative;\r\n boundary=x', false],
    ['message/rfc822', 'Content-Type: message/rfc822', false],
    ['application/pdf', 'Content-Type: application/pdf', false],
    ['image/png', 'content-type: image/png', false],
    ['text marked as an attachment', 'Content-Type: text/plain\r\nContent-Disposition: attachment', false],
    ['text with a file name', 'Content-Type: text/plain; name="notes.txt"', false],
    ['text with an RFC 2231 file name', 'Content-Disposition: inline; filename*=utf-8\'\'a.txt', false],
  ])('single text part? %s', (_name, headers, expected) => {
    expect(isSingleTextPart(block(headers))).toBe(expected);
  });

  it('sees DKIM and ARC signatures, which read the body', () => {
    expect(hasBodySignatures(block('Subject: x'))).toBe(false);
    expect(hasBodySignatures(block('Subject: x\r\nDKIM-Signature: v=1; a=rsa-sha256'))).toBe(true);
    expect(hasBodySignatures(block('arc-seal: i=1'))).toBe(true);
    expect(hasBodySignatures(block('Subject: about DKIM-Signature: headers'))).toBe(false);
  });
});

describe('large single-part mail', () => {
  const body = Array.from({ length: 4000 }, (_, i) => `line ${i} of a long text body`).join('\r\n');

  it('summarizes a 120 KiB text message from the start of its body', async () => {
    const raw = Buffer.from(`Subject: long\r\nFrom: a@b.example\r\nContent-Type: text/plain\r\n\r\nFirst words.\r\n${body}\r\n`);
    expect(raw.length).toBeGreaterThan(120_000);
    const s = await summarizeMessage(raw);
    expect(s.subject).toBe('long');
    expect(s.snippet.startsWith('First words. line 0 of a long text body line 1')).toBe(true);
    expect(s.attachments).toEqual([]);
    expect(await checkMimeStructure(raw)).toEqual({ ok: true, parts: 1, depth: 0 });
  });

  it('still measures a single-part attachment whole', async () => {
    const data = Buffer.alloc(150_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(`Subject: file\r\nContent-Type: application/octet-stream; name="x.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${data}\r\n`);
    const s = await summarizeMessage(raw);
    expect(s.attachments.map((a) => [a.filename, a.size])).toEqual([['x.bin', 150_000]]);
  });

  it('reads past a long quoted start for the snippet', () => {
    expect(makeSnippet(`${'> an earlier message, quoted\n'.repeat(2000)}My answer.\n`)).toBe('My answer.');
    expect(makeSnippet(`${'word '.repeat(5000)}`)).toHaveLength(200);
  });
});
