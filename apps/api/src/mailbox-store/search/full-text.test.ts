import { describe, expect, it } from 'vitest';
import { summarizeMessage } from '@correio/mime';
import { FULL_BODY_TEXT_MAX, extractFullText } from './full-text.js';
import { buildSearchText } from './search-text.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));
const body = (t: { headerLength: number; content: string }) => t.content.slice(t.headerLength);

// A 20 KB plain text body whose last word is past the 16 KiB the summary reads (review finding 1).
const LONG = crlf(`From: a@b.c\nSubject: long\n\n${'lorem ipsum dolor sit amet\n'.repeat(800)}zebraquux\n`);
const FORWARDED = crlf(`From: a@b.c
Subject: Fwd: inner
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain

see below
--b1
Content-Type: message/rfc822

From: inner@example.org
Subject: =?UTF-8?Q?Or=C3=A7amento?=
Content-Type: multipart/alternative; boundary="b2"

--b2
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>inner <b>body</b> na sala=20
42</p>
--b2--
--b1
Content-Type: application/pdf; name="=?UTF-8?Q?relat=C3=B3rio.pdf?="
Content-Transfer-Encoding: base64

JVBERi0=
--b1--
`);

describe('extractFullText (the complete search text, from the blob)', () => {
  it('reads a single text part to its end, past what the summary reads', async () => {
    expect(body(buildSearchText(LONG, await summarizeMessage(LONG)))).not.toContain('zebraquux');
    expect(body(extractFullText(LONG))).toContain('zebraquux');
  });

  it('walks message/rfc822 parts with their header, HTML as text, and lists file names', () => {
    const t = extractFullText(FORWARDED);
    expect(t.content.slice(0, t.headerLength)).toContain('subject: fwd: inner');
    const b = body(t);
    expect(b).toContain('see below');
    expect(b).toContain('subject: orçamento'); // the embedded header, decoded
    expect(b).toContain('inner body na sala 42'); // HTML tags gone, whitespace collapsed
    expect(b).toContain('relatório.pdf');
    expect(b).not.toContain('jvberi0'); // attachments' bytes are not text
  });

  it('is capped at FULL_BODY_TEXT_MAX characters of body text', () => {
    const huge = crlf(`From: a@b.c\n\n${'x'.repeat(FULL_BODY_TEXT_MAX + 1000)}\n`);
    expect(body(extractFullText(huge)).length).toBeLessThanOrEqual(FULL_BODY_TEXT_MAX);
  });
});

describe('buildSearchText complete (the quick text at delivery)', () => {
  it('is complete only for a small single text/plain part', async () => {
    const small = crlf('From: a@b.c\nContent-Type: text/plain; charset=utf-8\n\nhello\n');
    const html = crlf('From: a@b.c\nContent-Type: text/html\n\n<p>hello</p>\n');
    for (const [raw, complete] of [
      [small, true],
      [html, false],
      [LONG, false],
      [FORWARDED, false],
    ] as const)
      expect(buildSearchText(raw, await summarizeMessage(raw)).complete).toBe(complete);
  });
});
