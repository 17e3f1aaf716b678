import { describe, expect, it } from 'vitest';
import { renderMessage, renderWithMailparser } from './render';
import { summarizeMessage } from './summarize';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');
const body = 'Hello Joel,\n\nthe line is dial-up.\n> quoted\n[https://x.test/a] see [x] here\n';

/** One parse per opening: the direct reading must answer what simpleParser answers, field by field. */
const MESSAGES: [string, Buffer][] = [
  ['the bench message', crlf(`From: Sender <user1@example.org>\nTo: Joel <joel@bench.test>\nSubject: A seeded message\nMessage-ID: <seed@bench.test>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n${body.repeat(8)}`)],
  ['a reply with Reply-To and threading headers', crlf(`From: "Bruna Lopes" <bruna@paulolopes.fr>\nReply-To: Team <team@x.test>, b@x.test\nTo: Joel <joel@ifsc.edu>\nIn-Reply-To: <a@x>\nReferences: <z@x>\n <a@x>\nSubject: Re: Linha discada\n\n${body}`)],
  ['encoded words and raw UTF-8', crlf(`From: =?UTF-8?B?Sm/Do28=?= <joao@x.test>\nSubject: Ol\u00e1 =?UTF-8?Q?mundo?=\n\ncorpo \u00e1\u00e9\n`)],
  ['a body past the summary prefix', crlf(`From: a@b.test\n\n${'word '.repeat(8000)}\nthe end\n`)],
  ['NUL and control characters', Buffer.from('Subject: a\u0000b\r\nFrom: "x\u0000y" <x@y.test>\r\n\r\n\u0000body\u0001\r\n', 'latin1')],
  ['empty body', crlf('From: a@b.test\nSubject: nothing\n\n')],
  ['quoted-printable (simpleParser)', crlf('Content-Transfer-Encoding: quoted-printable\nFrom: a@b.test\n\nol=C3=A1\n')],
  ['html (simpleParser)', crlf('Content-Type: text/html\nFrom: a@b.test\n\n<p>x <img src="https://t.test/p.gif"></p>\n')],
  [
    'multipart with an attachment (simpleParser)',
    crlf(
      'From: a@b.test\nIn-Reply-To: <p@x>\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nhi\n--B\nContent-Type: application/pdf; name=a.pdf\nContent-Disposition: attachment; filename=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--B--\n',
    ),
  ],
  ['body only (the lecture message)', crlf('Joel you there?\nMy line is dial-up.\n')],
];

describe('renderMessage: one parse gives what simpleParser gives', () => {
  it.each(MESSAGES)('%s', async (_name, raw) => {
    for (const allowRemote of [false, true]) {
      expect(await renderMessage(raw, { allowRemote })).toEqual(await renderWithMailparser(raw, { allowRemote }));
    }
  });

  it.each(MESSAGES)('%s: threading and attachments as the summary keeps them', async (_name, raw) => {
    const [r, s] = await Promise.all([renderMessage(raw, { allowRemote: false }), summarizeMessage(raw)]);
    expect({ inReplyTo: r.inReplyTo, references: r.references, attachments: r.attachments }).toEqual({
      inReplyTo: s.inReplyTo,
      references: s.references,
      attachments: s.attachments,
    });
  });
});
