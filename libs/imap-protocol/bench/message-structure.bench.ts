/**
 * Speed of the per-message work FETCH, APPEND and SORT/THREAD lean on (R2, issue 11).
 * Run: npx vitest bench --run libs/imap-protocol/bench
 */
import { bench, describe } from 'vitest';
import { encodeValue } from '../src/encode-value';
import { computeMessageStructure } from '../src/message/compute-structure';
import { bodyStructureValue, envelopeValue } from '../src/message/values';
import { threadByReferences } from '../src/thread/references';
import { sortMessages } from '../src/thread/sort';
import type { SortInput } from '../src/thread/thread-types';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));
const small = Buffer.concat([
  crlf([
    'From: "Ana" <ana@example.com>',
    'To: bob@example.org',
    'Subject: Re: lunch',
    'Date: Mon, 7 Dec 2026 10:00:00 +0000',
    'Message-ID: <s@example.com>',
    'Content-Type: multipart/alternative; boundary=s',
    '',
    '--s',
    'Content-Type: text/plain; charset=utf-8',
    '',
    '',
  ]),
  Buffer.alloc(1800, 'plain text line\r\n'),
  crlf(['', '--s', 'Content-Type: text/html; charset=utf-8', '', '']),
  Buffer.alloc(1800, '<p>html line</p>\r\n'),
  crlf(['', '--s--', '']),
]);
const attachment = Buffer.concat([
  crlf([
    'Subject: big',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    '',
    'hi',
    '--b',
    'Content-Type: application/zip',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ]),
  Buffer.alloc(10 * 1024 * 1024, 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\r\n'),
  crlf(['', '--b--', '']),
]);
const text = Buffer.concat([crlf(['Subject: t', '', '']), Buffer.alloc(10 * 1024 * 1024, 'a line of text of some length here\r\n')]);
const structure = computeMessageStructure(small);

describe('computeMessageStructure', () => {
  bench(`${small.length} B multipart/alternative`, () => {
    computeMessageStructure(small);
  });
  bench('10 MiB with a base64 attachment', () => {
    computeMessageStructure(attachment);
  });
  bench('10 MiB text/plain (lines counted)', () => {
    computeMessageStructure(text);
  });
});

describe('FETCH values', () => {
  bench('BODYSTRUCTURE + ENVELOPE encoded', () => {
    encodeValue([bodyStructureValue(structure.body, true), envelopeValue(structure.envelope)], { utf8: false });
  });
});

const day = 86_400_000;
const messages: SortInput[] = Array.from({ length: 10_000 }, (_, i) => ({
  uid: i + 1,
  internalDate: new Date(i * 1000),
  sentDate: new Date(((i * 7919) % 10_000) * day),
  size: (i * 131) % 50_000,
  subject: i % 3 === 0 ? `topic ${i % 500}` : `Re: topic ${i % 500}`,
  fromAddress: `user${i % 97}@example.com`,
  fromName: `User ${i % 97}`,
  toAddress: `list${i % 13}@example.org`,
  toName: '',
  ccAddress: '',
  messageId: `<m${i + 1}@example.com>`,
  inReplyTo: i % 3 === 0 ? null : `<m${i}@example.com>`,
  references: i % 3 === 0 ? [] : [`<m${i - (i % 3)}@example.com>`, `<m${i}@example.com>`],
}));

describe('SORT and THREAD over 10,000 messages', () => {
  bench('SORT (REVERSE DATE SUBJECT)', () => {
    sortMessages(messages, [
      { key: 'DATE', reverse: true },
      { key: 'SUBJECT', reverse: false },
    ]);
  });
  bench('THREAD REFERENCES', () => {
    threadByReferences(messages);
  });
});
