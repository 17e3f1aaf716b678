import { describe, expect, it } from 'vitest';
import type { ImapCommand, SearchKey } from './command-types';
import { parseCommand } from './parse-command';

function search(criteria: SearchKey, extra: Partial<Extract<ImapCommand, { name: 'SEARCH' }>> = {}): ImapCommand {
  return { name: 'SEARCH', uid: false, return: [], isEsearch: false, criteria, ...extra };
}
const seen = { type: 'flag', flag: '\\Seen', isSet: true } as const;
const set = (start: number | '*', end: number | '*' = start) => ({ kind: 'ranges' as const, ranges: [{ start, end }] });

// RFC 9051 §6.4.4 search keys, RFC 4731 ESEARCH, RFC 5182 SAVE, RFC 7162 MODSEQ, RFC 5032 WITHIN.
const accepted: [string, ImapCommand][] = [
  ['a SEARCH ALL', search({ type: 'all' })],
  ['a SEARCH SEEN', search(seen)],
  ['a SEARCH unseen', search({ type: 'flag', flag: '\\Seen', isSet: false })],
  ['a SEARCH ANSWERED', search({ type: 'flag', flag: '\\Answered', isSet: true })],
  ['a SEARCH UNANSWERED', search({ type: 'flag', flag: '\\Answered', isSet: false })],
  ['a SEARCH DELETED', search({ type: 'flag', flag: '\\Deleted', isSet: true })],
  ['a SEARCH UNDELETED', search({ type: 'flag', flag: '\\Deleted', isSet: false })],
  ['a SEARCH DRAFT', search({ type: 'flag', flag: '\\Draft', isSet: true })],
  ['a SEARCH UNDRAFT', search({ type: 'flag', flag: '\\Draft', isSet: false })],
  ['a SEARCH FLAGGED', search({ type: 'flag', flag: '\\Flagged', isSet: true })],
  ['a SEARCH UNFLAGGED', search({ type: 'flag', flag: '\\Flagged', isSet: false })],
  ['a SEARCH RECENT', search({ type: 'flag', flag: '\\Recent', isSet: true })],
  ['a SEARCH NEW', search({ type: 'new' })],
  ['a SEARCH OLD', search({ type: 'old' })],
  ['a SEARCH KEYWORD $Forwarded', search({ type: 'keyword', keyword: '$Forwarded', isSet: true })],
  ['a SEARCH UNKEYWORD Junk', search({ type: 'keyword', keyword: 'Junk', isSet: false })],
  ['a SEARCH BEFORE 1-Feb-1994', search({ type: 'date', field: 'internal', op: 'before', date: '1994-02-01' })],
  ['a SEARCH ON 01-feb-1994', search({ type: 'date', field: 'internal', op: 'on', date: '1994-02-01' })],
  ['a SEARCH SINCE "29-Feb-2024"', search({ type: 'date', field: 'internal', op: 'since', date: '2024-02-29' })],
  ['a SEARCH SENTBEFORE 31-Dec-2023', search({ type: 'date', field: 'sent', op: 'before', date: '2023-12-31' })],
  ['a SEARCH SENTON 5-Jan-2024', search({ type: 'date', field: 'sent', op: 'on', date: '2024-01-05' })],
  ['a SEARCH SENTSINCE 5-Jan-2024', search({ type: 'date', field: 'sent', op: 'since', date: '2024-01-05' })],
  ['a SEARCH OLDER 3600', search({ type: 'within', op: 'older', seconds: 3600 })],
  ['a SEARCH YOUNGER 60', search({ type: 'within', op: 'younger', seconds: 60 })],
  ['a SEARCH LARGER 1024', search({ type: 'size', op: 'larger', bytes: 1024 })],
  ['a SEARCH SMALLER 0', search({ type: 'size', op: 'smaller', bytes: 0 })],
  ['a SEARCH FROM joel', search({ type: 'header', field: 'FROM', value: 'joel' })],
  ['a SEARCH TO "Joel Silva"', search({ type: 'header', field: 'TO', value: 'Joel Silva' })],
  ['a SEARCH CC x', search({ type: 'header', field: 'CC', value: 'x' })],
  ['a SEARCH BCC x', search({ type: 'header', field: 'BCC', value: 'x' })],
  ['a SEARCH SUBJECT {7}\r\nrelató', search({ type: 'header', field: 'SUBJECT', value: 'relató' })],
  ['a SEARCH HEADER Message-ID "<a@b>"', search({ type: 'header', field: 'MESSAGE-ID', value: '<a@b>' })],
  ['a SEARCH HEADER X-Spam ""', search({ type: 'header', field: 'X-SPAM', value: '' })],
  ['a SEARCH BODY hello', search({ type: 'body', value: 'hello' })],
  ['a SEARCH TEXT "hello world"', search({ type: 'text', value: 'hello world' })],
  ['a SEARCH CHARSET UTF-8 TEXT {5+}\r\ncafé', search({ type: 'text', value: 'café' }, { charset: 'UTF-8' })],
  ['a SEARCH charset "US-ASCII" BODY x', search({ type: 'body', value: 'x' }, { charset: 'US-ASCII' })],
  ['a SEARCH 1:5', search({ type: 'seq', set: set(1, 5) })],
  [
    'a SEARCH 2,4:*',
    search({
      type: 'seq',
      set: {
        kind: 'ranges',
        ranges: [
          { start: 2, end: 2 },
          { start: 4, end: '*' },
        ],
      },
    }),
  ],
  ['a SEARCH $', search({ type: 'seq', set: { kind: 'saved' } })],
  ['a SEARCH UID 100:*', search({ type: 'uid', set: set(100, '*') })],
  ['a SEARCH UID $', search({ type: 'uid', set: { kind: 'saved' } })],
  ['a SEARCH NOT SEEN', search({ type: 'not', key: seen })],
  ['a SEARCH NOT NOT SEEN', search({ type: 'not', key: { type: 'not', key: seen } })],
  ['a SEARCH OR SEEN FLAGGED', search({ type: 'or', left: seen, right: { type: 'flag', flag: '\\Flagged', isSet: true } })],
  [
    'a SEARCH OR (FROM a SUBJECT b) NOT (OR DELETED DRAFT)',
    search({
      type: 'or',
      left: {
        type: 'and',
        keys: [
          { type: 'header', field: 'FROM', value: 'a' },
          { type: 'header', field: 'SUBJECT', value: 'b' },
        ],
      },
      right: {
        type: 'not',
        key: { type: 'or', left: { type: 'flag', flag: '\\Deleted', isSet: true }, right: { type: 'flag', flag: '\\Draft', isSet: true } },
      },
    }),
  ],
  ['a SEARCH (SEEN)', search(seen)],
  ['a SEARCH ((SEEN))', search(seen)],
  ['a SEARCH SEEN UNDELETED', search({ type: 'and', keys: [seen, { type: 'flag', flag: '\\Deleted', isSet: false }] })],
  ['a SEARCH MODSEQ 620162338', search({ type: 'modseq', modseq: 620162338n })],
  ['a SEARCH MODSEQ "/flags/\\\\draft" all 620162338', search({ type: 'modseq', modseq: 620162338n })],
  ['a SEARCH MODSEQ "/flags/$Junk" priv 0', search({ type: 'modseq', modseq: 0n })],
  ['a UID SEARCH UNSEEN', search({ type: 'flag', flag: '\\Seen', isSet: false }, { uid: true })],
  ['a SEARCH RETURN (MIN MAX) UNSEEN', search({ type: 'flag', flag: '\\Seen', isSet: false }, { return: ['MIN', 'MAX'], isEsearch: true })],
  ['a SEARCH RETURN () ALL', search({ type: 'all' }, { return: ['ALL'], isEsearch: true })],
  [
    'a UID SEARCH RETURN (SAVE) FLAGGED',
    search({ type: 'flag', flag: '\\Flagged', isSet: true }, { uid: true, return: ['SAVE'], isEsearch: true }),
  ],
  [
    'a SEARCH RETURN (COUNT ALL count) CHARSET UTF-8 ALL',
    search({ type: 'all' }, { return: ['COUNT', 'ALL'], isEsearch: true, charset: 'UTF-8' }),
  ],
];

const refused: [string, string][] = [
  ['a SEARCH', 'Missing arguments'],
  ['a SEARCH FOO', 'Unknown search key FOO'],
  ['a SEARCH (SEEN', 'Unbalanced parentheses in search program'],
  ['a SEARCH SEEN)', 'Unexpected extra arguments'],
  ['a SEARCH ()', 'Invalid search key'],
  ['a SEARCH NOT', 'Missing arguments'],
  ['a SEARCH OR SEEN', 'Missing arguments'],
  ['a SEARCH FROM', 'Missing arguments'],
  ['a SEARCH HEADER Subject', 'Missing arguments'],
  ['a SEARCH SINCE 1994-02-01', 'Invalid date "1994-02-01"'],
  ['a SEARCH SINCE 30-Feb-2024', 'Invalid date "30-Feb-2024"'],
  ['a SEARCH SINCE 1-Foo-2024', 'Invalid date "1-Foo-2024"'],
  ['a SEARCH LARGER x', 'Invalid size'],
  ['a SEARCH OLDER 0', 'Invalid interval'],
  ['a SEARCH 0', 'Invalid sequence set'],
  ['a SEARCH UID 0:5', 'Invalid sequence set'],
  ['a SEARCH RETURN (FOO) ALL', 'Unknown RETURN option FOO'],
  ['a SEARCH RETURN ALL', 'Expected "("'],
  ['a SEARCH CHARSET', 'Unknown search key CHARSET'],
  ['a SEARCH CHARSET UTF-8', 'Missing arguments'],
  ['a SEARCH MODSEQ', 'Missing arguments'],
  ['a SEARCH MODSEQ "/flags/x" bogus 5', 'Invalid MODSEQ entry type'],
  ['a SEARCH MODSEQ "bad" all 5', 'Invalid MODSEQ entry name'],
  ['a SEARCH CHARSET UTF-8 TEXT {4+}\r\ncafé', 'Unexpected extra arguments'],
  [`a SEARCH ${'NOT '.repeat(100)}SEEN`, 'Search program nested too deeply'],
];

describe('parseCommand SEARCH', () => {
  it.each(accepted)('%j', (wire, command) => {
    expect(parseCommand(wire)).toEqual({ ok: true, value: { tag: 'a', command } });
  });

  it.each(refused)('%j → BAD %j', (wire, text) => {
    expect(parseCommand(wire)).toEqual({ ok: false, tag: 'a', text });
  });
});
