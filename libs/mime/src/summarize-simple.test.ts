import { describe, expect, it } from 'vitest';
import { findHeaderBlock } from './header-block';
import { parseSimpleTextMessage } from './summarize-simple';
import { summarizeMessage, summarizeWithMailparser } from './summarize';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');
const body = 'Hello Joel,\n\nthe line is dial-up.\n> quoted\n[https://x.test/a] see [x] here\n';

/** Messages the direct reading must take, each with what makes it interesting. */
const TAKEN: [string, Buffer][] = [
  ['smtp-source style', crlf(`From: <loadgen@client.test>\nTo: <sink@bench.test>\nDate: Sun,  6 Dec 2026 13:44:04 +0000 (UTC)\nMessage-Id: <59bf.0003.0000@loadgen.client.test>\n\n${'1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n'.repeat(120)}`)],
  ['as the MX stores it: trace, authentication and signature fields first', crlf(`Authentication-Results: mx.bench.test; spf=pass smtp.mailfrom=client.test; dkim=none; dmarc=none header.from=client.test\nARC-Seal: i=1; a=rsa-sha256; t=1765000000; cv=none; d=bench.test; s=s1; b=AAAA\nDKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=client.test; s=sel (not a comment); h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=BBBB\nReceived: from client.test (localhost [127.0.0.1])\n\tby mx.bench.test (Correio) with ESMTP id 1A2B3C\n\tfor <sink@bench.test>; Sun,  6 Dec 2026 13:44:04 +0000\nFrom: "Load" <loadgen@client.test>\nTo: <sink@bench.test>\nReply-To: =?UTF-8?Q?R=C3=A9ponse?= <r@client.test>\nSubject: =?UTF-8?Q?Ol=C3=A1?=\nMessage-Id: <59bf.0003.0000@loadgen.client.test>\nList-Id: <list.client.test>\nX-Priority: 1\n\n${body}`)],
  ['names, groups, several To and Cc', crlf(`From: "Bruna Lopes" <Bruna@PauloLopes.fr>\nTo: Joel <joel@ifsc.edu>, undisclosed-recipients:;\nTo: team: a@x.test, "B, C" <b@x.test>;\nCc: c@x.test (Carla)\nSubject: Re: Linha discada\n\n${body}`)],
  ['encoded words', crlf(`From: =?UTF-8?B?Sm/Do28=?= <joao@x.test>\nTo: =?ISO-8859-1?Q?Andr=E9?= <andre@x.test>\nSubject: =?UTF-8?Q?Ol=C3=A1_mundo?= and =?UTF-8?B?w6k=?=\n\n${body}`)],
  ['raw UTF-8 and Latin-1 bytes in headers', Buffer.concat([Buffer.from('From: Jo\u00e3o <j@x.test>\r\nSubject: Ol\u00e1 ', 'utf8'), Buffer.from([0xe9, 0xe8]), Buffer.from('\r\n\r\ncorpo \u00e1\u00e9\r\n', 'utf8')])],
  ['folded headers', crlf(`Subject: a long\n subject\n\tfolded twice\nFrom: x@y.test\nReferences: <a@x>\n <b@x>\n\t<c@x>\nReferences: <d@x>\nIn-Reply-To: <c@x>\n\n${body}`)],
  ['ids without brackets, duplicates', crlf(`Message-ID: abc@x\nMessage-ID: <second@x>\nIn-Reply-To:  \nReferences: one@x two@x\nSubject: first\nSubject: second\n\n${body}`)],
  ['charset us-ascii, 7bit, explicit type', crlf(`Content-Type: text/plain; charset="us-ascii"\nContent-Transfer-Encoding: 7bit\nMIME-Version: 1.0\nFrom: a@b.test\n\n${body}`)],
  ['charset UTF-8 8bit with invalid bytes', Buffer.concat([crlf('Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\nFrom: a@b.test\n\n'), Buffer.from([0xc3, 0x28, 0xff, 0x41, 0x0d, 0x0a])])],
  ['NUL and control characters', Buffer.from('Subject: a\u0000b\r\nFrom: "x\u0000y" <x@y.test>\r\n\r\n\u0000body\u0001\r\n', 'latin1')],
  ['bad dates', crlf(`Date: not a date\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nFrom: a@b.test\n\n${body}`)],
  ['empty body', crlf('From: a@b.test\nSubject: nothing\n\n')],
  ['all quotes, then text far below', crlf(`From: a@b.test\n\n${'> old line\n'.repeat(1500)}fresh text\n`)],
  ['a body longer than the parsed prefix', crlf(`From: a@b.test\n\n${'word '.repeat(8000)}\n`)],
  ['odd field names', crlf(`X-Thing : value\nFrom:a@b.test\nTO: c@d.test\n\n${body}`)],
  ['a header line without a colon', crlf(`From: a@b.test\nnot a header\nSubject: s\n\n${body}`)],
  ['angle-less, comment and route addresses', crlf(`From: a@b.test (Ann)\nTo: <@route:c@d.test>, e@f.test, "" <g@h.test>\nCc: broken <\n\n${body}`)],
];

/** Messages it must leave to simpleParser (it would read them differently, or not at all). */
const LEFT: [string, Buffer][] = [
  ['quoted-printable', crlf('Content-Transfer-Encoding: quoted-printable\nFrom: a@b.test\n\nol=C3=A1\n')],
  ['base64', crlf('Content-Transfer-Encoding: base64\nFrom: a@b.test\n\naGVsbG8=\n')],
  ['another charset', crlf('Content-Type: text/plain; charset=iso-8859-1\nFrom: a@b.test\n\nx\n')],
  ['format=flowed', crlf('Content-Type: text/plain; format=flowed\nFrom: a@b.test\n\nsoft \nbreak\n')],
  ['html', crlf('Content-Type: text/html\nFrom: a@b.test\n\n<p>x</p>\n')],
  ['a disposition', crlf('Content-Disposition: inline\nFrom: a@b.test\n\nx\n')],
  ['an encoding with a comment', crlf('Content-Transfer-Encoding: 7bit (plain)\nFrom: a@b.test\n\nx\n')],
  ['bare LF in the header block', Buffer.from('From: a@b.test\nSubject: s\r\n\r\nx\r\n')],
  ['an mbox From line', crlf('From a@b.test Mon Jan  1 00:00:00 2024\nFrom: a@b.test\n\nx\n')],
  ['body only (the lecture message)', crlf('Joel you there?\nMy line is dial-up.\n\nmore\n')],
  ['starts with the empty line', crlf('\nonly body\n\nx\n')],
];

describe('parseSimpleTextMessage: which messages it reads', () => {
  it.each(TAKEN)('takes %s', (_name, raw) => {
    expect(parseSimpleTextMessage(raw, findHeaderBlock(raw)!)).toBeDefined();
  });
  it.each(LEFT)('leaves %s to simpleParser', (_name, raw) => {
    const block = findHeaderBlock(raw);
    expect(block && parseSimpleTextMessage(raw, block)).toBeFalsy();
  });
});

describe('summarizeMessage: the direct reading gives what simpleParser gives', () => {
  it.each([...TAKEN, ...LEFT])('%s', async (_name, raw) => {
    expect(await summarizeMessage(raw)).toEqual(await summarizeWithMailparser(raw));
  });
});
