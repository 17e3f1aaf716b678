import { describe, expect, it } from 'vitest';
import { extractAttachment, renderMessage } from './render';
import { summarizeMessage } from './summarize';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

/** Every string in a summary, wherever it sits (the store writes them all to PostgreSQL text). */
function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const v of Object.values(value)) allStrings(v, out);
  return out;
}

/** PostgreSQL text takes neither NUL nor unpaired surrogates (they cannot be encoded as UTF-8). */
function expectStorable(value: unknown) {
  for (const s of allStrings(value)) {
    expect(s, JSON.stringify(s)).not.toContain('\u0000');
    expect(Buffer.from(s, 'utf8').toString('utf8'), JSON.stringify(s)).toBe(s);
  }
}

describe('summarizeMessage: the lecture message (body only, no header section)', () => {
  // seed lecture: the client sends DATA with only body lines. RFC 5322 would read them as headers.
  const raw = Buffer.from('Joel você consegue me ajudar?\r\nMinha linha é discada.\r\n');

  it('is read as body text, not as malformed headers', async () => {
    const s = await summarizeMessage(raw);
    expect(s.snippet).toBe('Joel você consegue me ajudar? Minha linha é discada.');
    expect(s.subject).toBe('');
    expect(s.from).toEqual({ name: '', address: '' });
    expect(s.attachments).toEqual([]);
  });

  it('renders its text as the body', async () => {
    const r = await renderMessage(raw, { allowRemote: false });
    expect(r.text.trim()).toBe('Joel você consegue me ajudar?\nMinha linha é discada.');
    expect(r.html).toBeNull();
    expect(r.headers).toEqual([]);
  });

  it.each([
    ['a first line that looks like a header keeps the usual reading', 'Subject: hi\r\n\r\nbody\r\n', 'hi', 'body'],
    ['a message starting with the empty line', '\r\nonly body\r\n', '', 'only body'],
    ['a first line with a colon after a space is body', 'Note this: it is body\r\nline 2\r\n', '', 'Note this: it is body line 2'],
  ])('%s', async (_name, text, subject, snippet) => {
    const s = await summarizeMessage(Buffer.from(text));
    expect(s.subject).toBe(subject);
    expect(s.snippet).toBe(snippet);
  });

  it.each([
    ['empty', '', ''],
    ['only line breaks', '\r\n\r\n', ''],
    ['binary garbage', '\u0000\u0001\u0002\u00ff\r\n', '\u0001\u0002\ufffd'],
  ])('never throws on %s input', async (_name, text, snippet) => {
    const s = await summarizeMessage(Buffer.from(text, 'latin1'));
    expect(s.snippet).toBe(snippet);
    expectStorable(s);
  });
});

describe('summarizeMessage: NUL and invalid UTF-8 never reach the stored strings', () => {
  const cases: [string, Buffer][] = [
    [
      'NUL in subject, display name and body',
      Buffer.from('Subject: a\u0000b\r\nFrom: "N\u0000ame" <a@b.example>\r\nMessage-ID: <x\u0000y@b.example>\r\n\r\nbody\u0000text\r\n'),
    ],
    [
      'invalid UTF-8 bytes in a raw 8-bit subject and body',
      Buffer.concat([
        Buffer.from('Subject: caf'),
        Buffer.from([0xe9, 0xff, 0xc3, 0x28]),
        Buffer.from('\r\n\r\nx '),
        Buffer.from([0xfe, 0xc0, 0x80]),
        Buffer.from('\r\n'),
      ]),
    ],
    [
      'a declared UTF-8 part with invalid bytes',
      Buffer.concat([
        Buffer.from('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nok '),
        Buffer.from([0xed, 0xa0, 0x80, 0xf8, 0x88]),
        Buffer.from('\r\n'),
      ]),
    ],
    [
      'a UTF-16 part with a lone surrogate',
      Buffer.concat([
        Buffer.from('Content-Type: text/plain; charset=utf-16le\r\nContent-Transfer-Encoding: base64\r\n\r\n'),
        Buffer.from(Buffer.from([0x68, 0x00, 0x00, 0xd8, 0x69, 0x00]).toString('base64')),
        Buffer.from('\r\n'),
      ]),
    ],
    ['an encoded-word that decodes to NUL', Buffer.from('Subject: =?UTF-8?B?YQBi?=\r\nFrom: =?UTF-8?Q?x=00y?= <q@b.example>\r\n\r\nz\r\n')],
  ];

  it.each(cases)('%s', async (_name, raw) => {
    const s = await summarizeMessage(raw);
    expectStorable(s);
    const r = await renderMessage(raw, { allowRemote: false });
    expectStorable({ text: r.text, headers: r.headers });
  });

  it('keeps the readable text around the bad bytes', async () => {
    const s = await summarizeMessage(cases[0]![1]);
    expect(s.subject).toBe('ab');
    expect(s.from).toEqual({ name: 'Name', address: 'a@b.example' });
    expect(s.snippet).toBe('bodytext');
  });
});

describe('summarizeMessage: headers', () => {
  it.each([
    ['B encoding', '=?UTF-8?B?T2zDoSBtdW5kbw==?=', 'Olá mundo'],
    ['Q encoding with underscores', '=?UTF-8?Q?Ol=C3=A1_mundo?=', 'Olá mundo'],
    ['ISO-8859-1', '=?ISO-8859-1?Q?caf=E9?=', 'café'],
    ['lower-case charset and encoding', '=?utf-8?q?ma=C3=B1ana?=', 'mañana'],
    ['encoded-word then plain text', '=?UTF-8?B?w6k=?= plain', 'é plain'],
    // RFC 2047 §6.2: white space between adjacent encoded-words is not displayed.
    ['adjacent encoded-words', '=?UTF-8?Q?a?= =?UTF-8?Q?b?=', 'ab'],
    ['folded header', 'part one\r\n part two', 'part one part two'],
    ['raw UTF-8 (RFC 6532)', 'Reunião amanhã', 'Reunião amanhã'],
  ])('subject: %s', async (_name, header, subject) => {
    const s = await summarizeMessage(Buffer.from(`Subject: ${header}\r\n\r\nx\r\n`));
    expect(s.subject).toBe(subject);
  });

  it('flattens groups and address lists, lower-cases addresses, decodes display names', async () => {
    const s = await summarizeMessage(
      crlf(
        'From: =?UTF-8?Q?Jo=C3=A3o?= <JOAO@Example.ORG>\n' +
          'To: undisclosed-recipients:;, Team: a@x.example, "B, Jr." <b@x.example>;, c@y.example\n' +
          'Cc: Friends: d@z.example;\n' +
          'Subject: s\n\nbody\n',
      ),
    );
    expect(s.from).toEqual({ name: 'João', address: 'joao@example.org' });
    expect(s.to).toEqual([
      { name: '', address: 'a@x.example' },
      { name: 'B, Jr.', address: 'b@x.example' },
      { name: '', address: 'c@y.example' },
    ]);
    expect(s.cc).toEqual([{ name: '', address: 'd@z.example' }]);
  });

  it('reads Message-ID, In-Reply-To, References and Date for threading', async () => {
    const s = await summarizeMessage(
      crlf(
        'Message-ID: <m2@x.example>\nIn-Reply-To: <m1@x.example>\nReferences: <m0@x.example>\n <m1@x.example>\n' +
          'Date: Tue, 1 Dec 2026 10:00:00 -0300\nSubject: Re: s\n\nHello\n> quoted line\nworld\n',
      ),
    );
    expect(s.messageId).toBe('<m2@x.example>');
    expect(s.inReplyTo).toBe('<m1@x.example>');
    expect(s.references).toEqual(['<m0@x.example>', '<m1@x.example>']);
    expect(s.sentDate?.toISOString()).toBe('2026-12-01T13:00:00.000Z');
    expect(s.snippet).toBe('Hello world'); // quoted lines are not the preview
  });

  it('an unparseable Date is null, not Invalid Date', async () => {
    const s = await summarizeMessage(Buffer.from('Date: yesterday-ish\r\nSubject: s\r\n\r\nx\r\n'));
    expect(s.sentDate).toBeNull();
  });
});

describe('summarizeMessage: attachments', () => {
  const pdf = Buffer.from('%PDF-1.4\n%äüöß\n');
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01]);
  const raw = crlf(
    'From: a@b.example\nSubject: att\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n' +
      '--XX\nContent-Type: multipart/related; boundary=YY\n\n' +
      '--YY\nContent-Type: text/html; charset=utf-8\n\n<p>see <img src="cid:img1@x"> and <img src="https://t.example/p.gif"></p>\n' +
      '--YY\nContent-Type: image/png\nContent-ID: <img1@x>\nContent-Disposition: inline\nContent-Transfer-Encoding: base64\n\n' +
      `${png.toString('base64')}\n` +
      '--YY--\n' +
      "--XX\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\nContent-Transfer-Encoding: base64\n\n" +
      `${pdf.toString('base64')}\n` +
      '--XX\nContent-Type: application/octet-stream\n\nno name here\n' +
      '--XX--\n',
  );

  it('lists each attachment with index, decoded filename, type, decoded size and content id', async () => {
    const s = await summarizeMessage(raw);
    expect(s.attachments).toEqual([
      { index: 0, filename: 'attachment-1', contentType: 'image/png', size: png.length, contentId: 'img1@x', inline: true },
      { index: 1, filename: 'résumé.pdf', contentType: 'application/pdf', size: pdf.length, contentId: null, inline: false },
      {
        index: 2,
        filename: 'attachment-3',
        contentType: 'application/octet-stream',
        size: 'no name here'.length,
        contentId: null,
        inline: false,
      },
    ]);
  });

  it('extractAttachment returns the decoded bytes at the same index, undefined past the end', async () => {
    expect((await extractAttachment(raw, 1))!.content.equals(pdf)).toBe(true);
    expect((await extractAttachment(raw, 0))!.content.equals(png)).toBe(true);
    expect(await extractAttachment(raw, 3)).toBeUndefined();
  });

  it('renderMessage inlines cid: images as data: URIs and blocks the remote one', async () => {
    const r = await renderMessage(raw, { allowRemote: false });
    expect(r.html).toContain(`<img src="data:image/png;base64,${png.toString('base64')}" />`);
    expect(r.html).not.toContain('t.example');
    expect(r.hasRemoteContent).toBe(true);
    const allowed = await renderMessage(raw, { allowRemote: true });
    expect(allowed.html).toContain('src="https://t.example/p.gif"');
  });
});

describe('summarizeMessage: snippet of an HTML message', () => {
  it('leaves out link targets and image placeholders that html-to-text puts in brackets', async () => {
    const raw = Buffer.from(
      'Subject: news\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p><img src="http://t.example/p.png" alt="x">Hello <a href="https://shop.example/deal">our deal</a> today</p>\r\n',
    );
    const s = await summarizeMessage(raw);
    expect(s.snippet).not.toMatch(/\[|https?:/);
    expect(s.snippet).toMatch(/Hello/);
    expect(s.snippet).toMatch(/our deal/i);
  });
});
