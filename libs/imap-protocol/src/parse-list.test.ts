import { describe, expect, it } from 'vitest';
import type { ImapCommand } from './command-types';
import { parseCommand } from './parse-command';

type List = Extract<ImapCommand, { name: 'LIST' }>;
const noSelect = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
const noReturn = { subscribed: false, children: false, specialUse: false };
function list(reference: string, patterns: string[], extra: Partial<List> = {}): ImapCommand {
  return { name: 'LIST', reference, patterns, select: noSelect, return: noReturn, isExtended: false, ...extra };
}

// LIST (RFC 9051 §6.3.9, RFC 5258, RFC 5819, RFC 6154), LSUB; SELECT/EXAMINE with RFC 7162 parameters.
const accepted: [string, ImapCommand][] = [
  ['a LIST "" *', list('', ['*'])],
  ['a LIST "" %', list('', ['%'])],
  ['a LIST "" ""', list('', [''])],
  ['a LIST ~/Mail/ %/foo*', list('~/Mail/', ['%/foo*'])],
  ['a LIST "" INBOX]', list('', ['INBOX]'])],
  ['a LIST "" inbox', list('', ['INBOX'])],
  ['a LIST "" inbox*', list('', ['inbox*'])],
  ['a LIST "" "Caf&AOk-/%"', list('', ['Café/%'])],
  ['a LIST "" {3}\r\nA/*', list('', ['A/*'])],
  ['a LIST "" ("INBOX" Sent)', list('', ['INBOX', 'Sent'], { isExtended: true })],
  ['a LIST () "" *', list('', ['*'], { isExtended: true })],
  ['a LIST (SUBSCRIBED) "" *', list('', ['*'], { isExtended: true, select: { ...noSelect, subscribed: true } })],
  [
    'a LIST (SUBSCRIBED RECURSIVEMATCH remote) "" %',
    list('', ['%'], { isExtended: true, select: { subscribed: true, remote: true, recursiveMatch: true, specialUse: false } }),
  ],
  ['a LIST (SPECIAL-USE) "" *', list('', ['*'], { isExtended: true, select: { ...noSelect, specialUse: true } })],
  ['a LIST "" * RETURN (SPECIAL-USE)', list('', ['*'], { isExtended: true, return: { ...noReturn, specialUse: true } })],
  ['a LIST "" * RETURN ()', list('', ['*'], { isExtended: true })],
  [
    'a LIST "" % RETURN (SUBSCRIBED CHILDREN STATUS (MESSAGES UNSEEN SIZE))',
    list('', ['%'], {
      isExtended: true,
      return: { subscribed: true, children: true, specialUse: false, status: ['MESSAGES', 'UNSEEN', 'SIZE'] },
    }),
  ],
  ['a LSUB "" *', { name: 'LSUB', reference: '', pattern: '*' }],
  ['a LSUB Archive %', { name: 'LSUB', reference: 'Archive', pattern: '%' }],
  ['a SELECT INBOX', { name: 'SELECT', mailbox: 'INBOX', condstore: false }],
  ['a select inbox', { name: 'SELECT', mailbox: 'INBOX', condstore: false }],
  ['a EXAMINE "Sent Items"', { name: 'EXAMINE', mailbox: 'Sent Items', condstore: false }],
  ['a SELECT INBOX (CONDSTORE)', { name: 'SELECT', mailbox: 'INBOX', condstore: true }],
  [
    'a SELECT INBOX (QRESYNC (67890007 20050715194045000))',
    { name: 'SELECT', mailbox: 'INBOX', condstore: false, qresync: { uidValidity: 67890007, modseq: 20050715194045000n } },
  ],
  [
    'a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))',
    {
      name: 'SELECT',
      mailbox: 'INBOX',
      condstore: false,
      qresync: {
        uidValidity: 67890007,
        modseq: 20050715194045000n,
        knownUids: {
          kind: 'ranges',
          ranges: [
            { start: 41, end: 41 },
            { start: 43, end: 211 },
            { start: 214, end: 541 },
          ],
        },
      },
    },
  ],
  [
    'a EXAMINE INBOX (QRESYNC (67890007 90060115194045000 41:211,214:541 (1:15,19 4,7:23)) CONDSTORE)',
    {
      name: 'EXAMINE',
      mailbox: 'INBOX',
      condstore: true,
      qresync: {
        uidValidity: 67890007,
        modseq: 90060115194045000n,
        knownUids: {
          kind: 'ranges',
          ranges: [
            { start: 41, end: 211 },
            { start: 214, end: 541 },
          ],
        },
        seqMatch: {
          seqs: {
            kind: 'ranges',
            ranges: [
              { start: 1, end: 15 },
              { start: 19, end: 19 },
            ],
          },
          uids: {
            kind: 'ranges',
            ranges: [
              { start: 4, end: 4 },
              { start: 7, end: 23 },
            ],
          },
        },
      },
    },
  ],
  [
    'a SELECT INBOX (QRESYNC (1 2 (1 4)))',
    {
      name: 'SELECT',
      mailbox: 'INBOX',
      condstore: false,
      qresync: {
        uidValidity: 1,
        modseq: 2n,
        seqMatch: { seqs: { kind: 'ranges', ranges: [{ start: 1, end: 1 }] }, uids: { kind: 'ranges', ranges: [{ start: 4, end: 4 }] } },
      },
    },
  ],
];

const refused: [string, string][] = [
  ['a LIST', 'Missing arguments'],
  ['a LIST ""', 'Missing arguments'],
  ['a LIST (FOO) "" *', 'Unknown LIST selection option FOO'],
  ['a LIST (RECURSIVEMATCH) "" *', 'RECURSIVEMATCH needs another selection option'],
  ['a LIST "" * RETURN (FOO)', 'Unknown LIST return option FOO'],
  ['a LIST "" * RETURN (STATUS ())', 'Empty list'],
  ['a LIST "" ()', 'Empty list'],
  ['a LIST "" * extra', 'Unexpected extra arguments'],
  ['a LSUB ""', 'Missing arguments'],
  ['a SELECT', 'Missing arguments'],
  ['a SELECT INBOX ()', 'Empty list'],
  ['a SELECT INBOX (FOO)', 'Unknown SELECT parameter FOO'],
  ['a SELECT INBOX (QRESYNC)', 'Expected a space'],
  ['a SELECT INBOX (QRESYNC (0 5))', 'Invalid UIDVALIDITY'],
  ['a SELECT INBOX (QRESYNC (1 0))', 'Invalid mod-sequence'],
  ['a SELECT INBOX (QRESYNC (1 5 1:*))', '"*" is not allowed in QRESYNC sets'],
  ['a SELECT INBOX (QRESYNC (1 5 $))', 'Invalid sequence set'],
  ['a SELECT INBOX (QRESYNC (1 5 1:9 (1:3)))', 'Expected a space'],
  ['a SELECT INBOX (CONDSTORE', 'Missing ")"'],
];

describe('parseCommand LIST / LSUB / SELECT / EXAMINE', () => {
  it.each(accepted)('%j', (wire, command) => {
    expect(parseCommand(wire)).toEqual({ ok: true, value: { tag: 'a', command } });
  });

  it.each(refused)('%j → BAD %j', (wire, text) => {
    expect(parseCommand(wire)).toEqual({ ok: false, tag: 'a', text });
  });
});
