import { describe, expect, it } from 'vitest';
import { buildSearchText, decodeEncodedWords, sentDayOf } from './search-text.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('search text', () => {
  it('unfolds the header, decodes RFC 2047 words, lower-cases, and puts the body after it', () => {
    const raw = crlf(
      'From: =?UTF-8?B?Sm/Do28=?= <joao@x.org>\nSubject: =?ISO-8859-1?Q?Caf=E9?=\n =?UTF-8?Q?_com_leite?=\nTo: A\n\tB\n\nBODY\n',
    );
    const t = buildSearchText(raw, { bodyText: 'Corpo DA mensagem' });
    expect(t.content.slice(0, t.headerLength)).toBe('from: joão <joao@x.org>\nsubject: café com leite\nto: a b\n');
    expect(t.content.slice(t.headerLength)).toBe('corpo da mensagem');
  });

  it('leaves out DKIM/ARC signature values, keeps their other tags', () => {
    const raw = crlf(
      'DKIM-Signature: v=1; a=rsa-sha256; d=bank.example; s=sel;\n bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\n b=AbCdEf0123456789+/ZZ==\nSubject: x\n\n',
    );
    const header = buildSearchText(raw, {}).content;
    expect(header).toContain('dkim-signature: v=1; a=rsa-sha256; d=bank.example; s=sel; bh=; b=');
    expect(header).not.toContain('abcdef0123');
  });

  it('headerless messages are all body; bad encoded words stay as they are', () => {
    expect(buildSearchText(crlf('just a line\nand another\n'), { bodyText: 'just a line' })).toEqual({
      headerLength: 0,
      content: 'just a line',
      complete: true,
      sentDay: null,
    });
    expect(decodeEncodedWords('=?x-unknown?Q?abc?= plain')).toBe('=?x-unknown?Q?abc?= plain');
    expect(buildSearchText(crlf('Subject: a\u0000b\n\n'), {}).content).toBe('subject: ab\n');
  });

  it("sentDay is the Date: header's own day, time and zone disregarded (RFC 9051 §6.4.4)", () => {
    const day = (date: string) => buildSearchText(crlf(`From: a@b.c\nDate: ${date}\n\nx\n`), {}).sentDay;
    expect(day('Mon, 07 Dec 2026 01:30:00 +0900')).toBe('2026-12-07'); // 2026-12-06 in UTC
    expect(day('Sun, 6 Dec 2026 23:30:00 -0500')).toBe('2026-12-06'); // 2026-12-07 in UTC
    expect(day('7 Dec 2026 10:00 GMT')).toBe('2026-12-07');
    expect(day('Tue, 1 Feb 99 10:00:00 EST')).toBe('1999-02-01'); // obs-year (RFC 5322 §4.3)
    expect(day('Fri, 31 Feb 2026 10:00:00 +0000')).toBeNull();
    expect(day('yesterday')).toBeNull();
    expect(sentDayOf('x-date: 1 jan 2020\n')).toBeNull();
  });
});
