import { describe, expect, test } from 'vitest';
import { sortMessages } from './sort';
import { sortFieldsFromEnvelope } from './sort-fields';
import type { SortInput } from './thread-types';

const base: SortInput = {
  uid: 0,
  internalDate: new Date(0),
  sentDate: null,
  size: 0,
  subject: '',
  fromAddress: '',
  fromName: '',
  toAddress: '',
  toName: '',
  ccAddress: '',
  messageId: null,
  inReplyTo: null,
  references: [],
};
const m = (uid: number, fields: Partial<SortInput>): SortInput => ({ ...base, uid, ...fields });
const at = (iso: string) => new Date(iso);

const messages = [
  m(1, {
    size: 300,
    subject: 'Re: banana',
    fromAddress: 'Zed@b.test',
    fromName: '',
    toAddress: 'x@y',
    internalDate: at('2026-01-03'),
    sentDate: at('2026-01-01'),
  }),
  m(2, {
    size: 100,
    subject: 'apple',
    fromAddress: 'amy@z.test',
    fromName: 'Zoe',
    toAddress: 'b@y',
    ccAddress: 'c@c',
    internalDate: at('2026-01-01'),
    sentDate: null,
  }),
  m(3, {
    size: 200,
    subject: '[list] Apple',
    fromAddress: 'bob@a.test',
    fromName: '=?utf-8?q?=C3=81lvaro?=',
    toAddress: 'a@y',
    ccAddress: 'a@c',
    internalDate: at('2026-01-02'),
    sentDate: at('2026-01-05'),
  }),
  m(4, {
    size: 200,
    subject: 'cherry',
    fromAddress: 'bob@b.test',
    fromName: 'Bob',
    toAddress: 'a@y',
    ccAddress: 'b@c',
    internalDate: at('2026-01-02'),
    sentDate: at('2026-01-02'),
  }),
];
type Key = Parameters<typeof sortMessages>[1][number]['key'];
const by = (...keys: (Key | `-${Key}`)[]) =>
  sortMessages(
    messages,
    keys.map((k) => (k.startsWith('-') ? { key: k.slice(1) as Key, reverse: true } : { key: k as Key, reverse: false })),
  );

describe('sortMessages (RFC 5256, RFC 5957)', () => {
  test.each([
    [['ARRIVAL'], [2, 3, 4, 1]],
    [['-ARRIVAL'], [1, 3, 4, 2]], // 3 and 4 tie: mailbox order even when reversed
    [['DATE'], [1, 2, 4, 3]], // 2 has no Date: its internal date (Jan 1) ties with 1's sent date, mailbox order decides
    [['SIZE'], [2, 3, 4, 1]],
    [
      ['-SIZE', 'SUBJECT'],
      [1, 3, 4, 2],
    ],
    [['SUBJECT'], [2, 3, 1, 4]], // apple, [list] Apple, banana, cherry
    [
      ['SUBJECT', '-ARRIVAL'],
      [3, 2, 1, 4],
    ],
    [['FROM'], [2, 3, 4, 1]], // amy, bob, bob, Zed (local parts, case-insensitive)
    [
      ['TO', 'CC'],
      [3, 4, 2, 1],
    ],
    [['CC'], [1, 3, 4, 2]], // 1 has no Cc: "" sorts first
    [['DISPLAYFROM'], [3, 4, 1, 2]], // Álvaro (decoded; i;unicode-casemap puts Á with A), Bob, zed@b.test (no name: the address), Zoe
  ] as [(Key | `-${Key}`)[], number[]][])('%j', (keys, expected) => {
    expect(by(...keys)).toEqual(expected);
  });
});

describe('sortFieldsFromEnvelope', () => {
  test('first addresses (a group marker counts: its mailbox is the group name), the parsed Date, names as sent', () => {
    const addr = (name: string | null, mailbox: string | null, host: string | null) => ({ name, adl: null, mailbox, host });
    const fields = sortFieldsFromEnvelope({
      date: 'Mon, 7 Dec 2026 10:00:00 +0100 (CET)',
      subject: 'Re: x',
      from: [addr('=?utf-8?q?Ana?=', 'ana', 'a.test')],
      sender: null,
      replyTo: null,
      to: [addr(null, 'team', null), addr('Bo', 'bo', 'b.test'), addr(null, null, null)],
      cc: null,
      bcc: null,
      inReplyTo: '<p@x>',
      messageId: '<m@x>',
    });
    expect(fields).toEqual({
      sentDate: new Date('2026-12-07T09:00:00Z'),
      subject: 'Re: x',
      fromAddress: 'ana@a.test',
      fromName: '=?utf-8?q?Ana?=',
      toAddress: 'team',
      toName: '',
      ccAddress: '',
      messageId: '<m@x>',
      inReplyTo: '<p@x>',
    });
  });
});
