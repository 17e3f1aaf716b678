import { describe, expect, it } from 'vitest';
import { astring, encodeString, encodeValue, encodeValues, formatDateTime, quoteString } from './encode-value';
import type { ImapValue } from './value-types';

const ascii = { utf8: false };
const utf8 = { utf8: true };

const cases: [ImapValue, string][] = [
  [null, 'NIL'],
  [0, '0'],
  [4294967295, '4294967295'],
  [9223372036854775807n, '9223372036854775807'],
  [{ atom: '\\Seen' }, '\\Seen'],
  [{ string: '' }, '""'],
  [{ string: 'hello world' }, '"hello world"'],
  [{ string: 'say "hi" \\o/' }, '"say \\"hi\\" \\\\o/"'],
  [{ string: 'two\r\nlines' }, '{10}\r\ntwo\r\nlines'],
  [{ string: 'nul\0' }, '{4}\r\nnul\0'],
  [{ string: 'café' }, '{5}\r\ncafé'],
  [{ string: Buffer.from('raw') }, '"raw"'],
  [{ literal: Buffer.from('abc') }, '{3}\r\nabc'],
  [{ literal: Buffer.from('a\0c'), isBinary: true }, '~{3}\r\na\0c'],
  [[], '()'],
  [[{ atom: 'FLAGS' }, [{ atom: '\\Seen' }, { atom: '$Junk' }], { atom: 'UID' }, 7], '(FLAGS (\\Seen $Junk) UID 7)'],
  [[null, [null, { string: 'x' }]], '(NIL (NIL "x"))'],
];

describe('encodeValue', () => {
  for (const [value, wire] of cases) {
    it(`→ ${JSON.stringify(wire)}`, () => {
      expect(encodeValue(value, ascii).toString('utf8')).toBe(wire);
    });
  }

  it('quotes UTF-8 only after UTF8=ACCEPT, and never invalid UTF-8', () => {
    expect(encodeValue({ string: 'café' }, utf8).toString('utf8')).toBe('"café"');
    expect(encodeValue({ string: Buffer.from([0x63, 0xe9]) }, utf8)).toEqual(Buffer.from([0x7b, 0x32, 0x7d, 0x0d, 0x0a, 0x63, 0xe9]));
  });

  it('sends long strings as literals', () => {
    const long = 'x'.repeat(2000);
    expect(encodeString(long, ascii).toString()).toBe(`{2000}\r\n${long}`);
    expect(encodeString('x'.repeat(1024), ascii).toString()).toBe(`"${'x'.repeat(1024)}"`);
  });

  it('joins values with single spaces', () => {
    expect(encodeValues([3, { atom: 'EXISTS' }], ascii).toString()).toBe('3 EXISTS');
    expect(encodeValues([{ atom: 'LIST' }, [{ atom: '\\HasNoChildren' }], { string: '/' }, { string: 'INBOX' }], ascii).toString()).toBe(
      'LIST (\\HasNoChildren) "/" "INBOX"',
    );
  });
});

describe('quoteString / astring', () => {
  it('quotes and escapes', () => {
    expect(quoteString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(() => quoteString('a\r\nb')).toThrow();
  });

  it.each([
    ['INBOX', 'INBOX'],
    ['Sent]', 'Sent]'],
    ['', '""'],
    ['NIL', '"NIL"'],
    ['two words', '"two words"'],
    ['a*', '"a*"'],
    ['a%', '"a%"'],
    ['(x)', '"(x)"'],
    ['{3}', '"{3}"'],
    ['café', '"café"'],
  ])('astring(%j) = %j', (text, wire) => {
    expect(astring(text)).toBe(wire);
  });
});

describe('formatDateTime', () => {
  it.each<[string, number, string]>([
    ['1996-07-17T09:44:25Z', -420, '17-Jul-1996 02:44:25 -0700'],
    ['2024-01-05T00:00:00Z', 0, ' 5-Jan-2024 00:00:00 +0000'],
    ['2024-01-05T23:30:00Z', 90, ' 6-Jan-2024 01:00:00 +0130'],
    ['2024-12-31T23:59:59Z', 0, '31-Dec-2024 23:59:59 +0000'],
  ])('%s at %d → %j', (iso, offset, text) => {
    expect(formatDateTime(new Date(iso), offset)).toBe(text);
  });

  it('defaults to UTC', () => {
    expect(formatDateTime(new Date('2020-02-29T12:00:00Z'))).toBe('29-Feb-2020 12:00:00 +0000');
  });
});
