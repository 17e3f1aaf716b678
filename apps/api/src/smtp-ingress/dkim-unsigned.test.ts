import { findHeaderBlock } from '@correio/mime';
import { dkimVerify } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { verifyUnsignedDkim } from './dkim-unsigned.js';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');
const resolver = async (name: string) => {
  throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};

/** What the MX reads of a dkimVerify() result: the verdicts, the From addresses, the ARC state. */
const view = (r: Awaited<ReturnType<typeof dkimVerify>>) => ({
  results: r.results,
  headerFrom: r.headerFrom,
  envelopeFrom: r.envelopeFrom,
  arc: (r as { arc?: unknown }).arc,
});

const MESSAGES: [string, Buffer, string][] = [
  ['smtp-source style', crlf('From: <loadgen@client.test>\nTo: <sink@bench.test>\nMessage-Id: <1@x>\n\nbody\n'), 'loadgen@client.test'],
  ['named, several From addresses and headers', crlf('From: "Bruna" <bruna@paulolopes.fr>, joel@ifsc.edu\nFrom: third@x.test\nSubject: s\n\nb\n'), 'b@y.test'],
  ['no From at all', crlf('Subject: nothing\n\nb\n'), ''],
  ['a group and an encoded name', crlf('From: =?UTF-8?B?Sm/Do28=?= <joao@x.test>\nTo: team: a@x.test;\n\nb\n'), 'joao@x.test'],
  ['folded From, Return-Path', crlf('Return-Path: <rp@x.test>\nFrom: Someone\n <folded@x.test>\n\nb\n'), ''],
  ['an ARC-Authentication-Results without a seal', crlf('ARC-Authentication-Results: i=1; mx.test; spf=pass\nFrom: a@b.test\n\nb\n'), 'a@b.test'],
  ['raw 8-bit header bytes', Buffer.concat([Buffer.from('From: Jo\u00e3o <j@x.test>\r\nSubject: ', 'utf8'), Buffer.from([0xe9]), Buffer.from('\r\n\r\nb\r\n')]), 'j@x.test'],
];

describe('verifyUnsignedDkim gives what dkimVerify gives for unsigned mail', () => {
  it.each(MESSAGES)('%s', async (_name, raw, sender) => {
    const block = findHeaderBlock(raw)!;
    const header = raw.subarray(0, block.length);
    const expected = view(await dkimVerify(header, { resolver, sender } as Parameters<typeof dkimVerify>[1]));
    const actual = view(await verifyUnsignedDkim(header, { resolver, sender }));
    expect(actual).toEqual(expected);
    expect(actual.results[0]?.status.result).toBe('none');
  });
});
