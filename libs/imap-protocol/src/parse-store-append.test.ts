import { describe, expect, it } from 'vitest';
import type { ImapCommand, SequenceSet } from './command-types';
import { parseCommand } from './parse-command';

const all: SequenceSet = { kind: 'ranges', ranges: [{ start: 1, end: '*' }] };
const one: SequenceSet = { kind: 'ranges', ranges: [{ start: 1, end: 1 }] };

// STORE (RFC 9051 §6.4.6, RFC 7162 UNCHANGEDSINCE), APPEND (RFC 9051 §6.3.12, RFC 3502, RFC 3516),
// SORT/THREAD (RFC 5256, RFC 5267): wire → typed command.
const accepted: [string, ImapCommand][] = [
  ['a UID STORE 1:* +FLAGS.SILENT (\\Deleted)', { name: 'STORE', uid: true, set: all, op: 'add', silent: true, flags: ['\\Deleted'] }],
  [
    'a STORE 1 FLAGS (\\seen $Forwarded)',
    { name: 'STORE', uid: false, set: one, op: 'replace', silent: false, flags: ['\\Seen', '$Forwarded'] },
  ],
  [
    'a STORE 1 -flags \\Flagged \\Answered',
    { name: 'STORE', uid: false, set: one, op: 'remove', silent: false, flags: ['\\Flagged', '\\Answered'] },
  ],
  ['a STORE 1 FLAGS ()', { name: 'STORE', uid: false, set: one, op: 'replace', silent: false, flags: [] }],
  ['a STORE 1 +FLAGS \\Seen', { name: 'STORE', uid: false, set: one, op: 'add', silent: false, flags: ['\\Seen'] }],
  [
    'a STORE 1 (UNCHANGEDSINCE 12345) +FLAGS.SILENT (\\Seen)',
    { name: 'STORE', uid: false, set: one, unchangedSince: 12345n, op: 'add', silent: true, flags: ['\\Seen'] },
  ],
  [
    'a UID STORE $ (UNCHANGEDSINCE 0) FLAGS ()',
    { name: 'STORE', uid: true, set: { kind: 'saved' }, unchangedSince: 0n, op: 'replace', silent: false, flags: [] },
  ],
  ['a STORE 1 FLAGS (\\X-Custom)', { name: 'STORE', uid: false, set: one, op: 'replace', silent: false, flags: ['\\X-Custom'] }],
  [
    'a APPEND saved-messages (\\Seen) {11}\r\nhello world',
    { name: 'APPEND', mailbox: 'saved-messages', messages: [{ flags: ['\\Seen'], message: Buffer.from('hello world'), isBinary: false }] },
  ],
  [
    'a APPEND INBOX {5+}\r\nhello',
    { name: 'APPEND', mailbox: 'INBOX', messages: [{ flags: [], message: Buffer.from('hello'), isBinary: false }] },
  ],
  [
    'a APPEND Drafts () " 7-Feb-1994 21:52:25 -0800" {5}\r\nhello',
    {
      name: 'APPEND',
      mailbox: 'Drafts',
      messages: [{ flags: [], date: new Date('1994-02-08T05:52:25Z'), message: Buffer.from('hello'), isBinary: false }],
    },
  ],
  [
    'a APPEND Drafts "07-Feb-1994 21:52:25 +0130" {5}\r\nhello',
    {
      name: 'APPEND',
      mailbox: 'Drafts',
      messages: [{ flags: [], date: new Date('1994-02-07T20:22:25Z'), message: Buffer.from('hello'), isBinary: false }],
    },
  ],
  [
    'a APPEND INBOX ~{3}\r\na\0b',
    { name: 'APPEND', mailbox: 'INBOX', messages: [{ flags: [], message: Buffer.from('a\0b'), isBinary: true }] },
  ],
  [
    'a APPEND INBOX UTF8 (~{4}\r\nçá)',
    { name: 'APPEND', mailbox: 'INBOX', messages: [{ flags: [], message: Buffer.from('çá'), isBinary: false }] },
  ],
  [
    'a APPEND INBOX (\\Seen) {1+}\r\nx (\\Flagged \\Draft) "1-Jan-2024 00:00:00 +0000" {2+}\r\nyz {1}\r\nw',
    {
      name: 'APPEND',
      mailbox: 'INBOX',
      messages: [
        { flags: ['\\Seen'], message: Buffer.from('x'), isBinary: false },
        { flags: ['\\Flagged', '\\Draft'], date: new Date('2024-01-01T00:00:00Z'), message: Buffer.from('yz'), isBinary: false },
        { flags: [], message: Buffer.from('w'), isBinary: false },
      ],
    },
  ],
  [
    'a SORT (DATE) UTF-8 ALL',
    {
      name: 'SORT',
      uid: false,
      criteria: [{ key: 'DATE', reverse: false }],
      charset: 'UTF-8',
      return: [],
      isEsearch: false,
      search: { type: 'all' },
    },
  ],
  [
    'a UID SORT (REVERSE ARRIVAL subject DISPLAYFROM) US-ASCII UNSEEN SINCE 1-Jan-2024',
    {
      name: 'SORT',
      uid: true,
      criteria: [
        { key: 'ARRIVAL', reverse: true },
        { key: 'SUBJECT', reverse: false },
        { key: 'DISPLAYFROM', reverse: false },
      ],
      charset: 'US-ASCII',
      return: [],
      isEsearch: false,
      search: {
        type: 'and',
        keys: [
          { type: 'flag', flag: '\\Seen', isSet: false },
          { type: 'date', field: 'internal', op: 'since', date: '2024-01-01' },
        ],
      },
    },
  ],
  [
    'a UID SORT RETURN (COUNT) (REVERSE DATE) UTF-8 ALL',
    {
      name: 'SORT',
      uid: true,
      criteria: [{ key: 'DATE', reverse: true }],
      charset: 'UTF-8',
      return: ['COUNT'],
      isEsearch: true,
      search: { type: 'all' },
    },
  ],
  ['a THREAD REFERENCES UTF-8 ALL', { name: 'THREAD', uid: false, algorithm: 'REFERENCES', charset: 'UTF-8', search: { type: 'all' } }],
  [
    'a UID THREAD orderedsubject "UTF-8" SUBJECT x',
    { name: 'THREAD', uid: true, algorithm: 'ORDEREDSUBJECT', charset: 'UTF-8', search: { type: 'header', field: 'SUBJECT', value: 'x' } },
  ],
];

const refused: [string, string][] = [
  ['a STORE 1', 'Missing arguments'],
  ['a STORE 1 FLAGS', 'Missing arguments'],
  ['a STORE 1 XFLAGS (\\Seen)', 'Invalid STORE item XFLAGS'],
  ['a STORE 1 FLAGS.LOUD (\\Seen)', 'Invalid STORE item FLAGS.LOUD'],
  ['a STORE 1 *FLAGS (\\Seen)', 'Invalid store item'],
  ['a STORE 1 FLAGS (\\Seen', 'Missing ")"'],
  ['a STORE 1 FLAGS ((\\Seen))', 'Invalid flag'],
  ['a STORE 1 (UNCHANGEDSINCE) FLAGS ()', 'Expected a space'],
  ['a STORE 1 (FOO 1) FLAGS ()', 'Unknown STORE modifier FOO'],
  ['a STORE 0 FLAGS ()', 'Invalid sequence set'],
  ['a APPEND INBOX', 'Missing arguments'],
  ['a APPEND INBOX (\\Seen)', 'Missing arguments'],
  ['a APPEND INBOX hello', 'Expected the message as a literal'],
  ['a APPEND INBOX "hello"', 'Invalid date-time "hello"'],
  ['a APPEND INBOX "31-Feb-2024 00:00:00 +0000" {1}\r\nx', 'Invalid date-time "31-Feb-2024 00:00:00 +0000"'],
  ['a APPEND INBOX "1-Jan-2024 24:00:00 +0000" {1}\r\nx', 'Invalid date-time "1-Jan-2024 24:00:00 +0000"'],
  ['a APPEND INBOX {0}\r\n\r\n', 'Empty message'],
  ['a APPEND INBOX {3}\r\na\0b', 'NUL in a message literal: use literal8 (BINARY)'],
  ['a APPEND INBOX {1}\r\nx extra', 'Expected the message as a literal'],
  ['a APPEND INBOX UTF8 ({4}\r\nçá)', 'UTF8 APPEND data must be a literal8'],
  ['a SORT DATE UTF-8 ALL', 'Expected "("'],
  ['a SORT () UTF-8 ALL', 'Empty list'],
  ['a SORT (FOO) UTF-8 ALL', 'Unknown sort key FOO'],
  ['a SORT (DATE) UTF-8', 'Missing arguments'],
  ['a SORT (REVERSE) UTF-8 ALL', 'Expected a space'],
  ['a THREAD X UTF-8 ALL', 'Unknown THREAD algorithm X'],
  ['a THREAD REFERENCES UTF-8', 'Missing arguments'],
];

describe('parseCommand STORE / APPEND / SORT / THREAD', () => {
  it.each(accepted)('%j', (wire, command) => {
    expect(parseCommand(wire)).toEqual({ ok: true, value: { tag: 'a', command } });
  });

  it.each(refused)('%j → BAD %j', (wire, text) => {
    expect(parseCommand(wire)).toEqual({ ok: false, tag: 'a', text });
  });
});
