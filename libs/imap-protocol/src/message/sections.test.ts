import { describe, expect, test } from 'vitest';
import { computeMessageStructure } from './compute-structure';
import { sectionSpec } from './fixtures/section-spec';
import { filterHeaderFields } from './header-fields';
import { applyPartial, findPart, sectionRange } from './sections';

describe('applyPartial (RFC 9051 §6.4.5 <offset.length>)', () => {
  test.each([
    [100, undefined, { start: 0, end: 100 }],
    [100, { offset: 0, length: 10 }, { start: 0, end: 10 }],
    [100, { offset: 95, length: 10 }, { start: 95, end: 100 }],
    [100, { offset: 100, length: 10 }, { start: 100, end: 100 }],
    [100, { offset: 500, length: 10 }, { start: 100, end: 100 }],
    [0, { offset: 0, length: 0 }, { start: 0, end: 0 }],
  ])('length %d, partial %j', (length, partial, expected) => {
    expect(applyPartial(length, partial)).toEqual(expected);
  });
});

describe('filterHeaderFields', () => {
  const header = Buffer.from('From: a@b\r\nSubject: one\r\n two\r\nX-Low: 1\r\nsubject: again\r\nTo: c@d\r\n\r\n');

  test('keeps the named fields in message order with their folding, then the blank line', () => {
    expect(filterHeaderFields(header, ['SUBJECT', 'TO'], false).toString()).toBe(
      'Subject: one\r\n two\r\nsubject: again\r\nTo: c@d\r\n\r\n',
    );
  });

  test('.NOT keeps the others', () => {
    expect(filterHeaderFields(header, ['SUBJECT', 'x-low'], true).toString()).toBe('From: a@b\r\nTo: c@d\r\n\r\n');
  });

  test('no match is just the blank line; a last field without its line end gets one', () => {
    expect(filterHeaderFields(header, ['CC'], false).toString()).toBe('\r\n');
    expect(filterHeaderFields(Buffer.from('Subject: cut'), ['SUBJECT'], false).toString()).toBe('Subject: cut\r\n\r\n');
  });

  test('bare LF headers keep their bytes', () => {
    expect(filterHeaderFields(Buffer.from('A: 1\nB: 2\n\n'), ['B'], false).toString()).toBe('B: 2\n\r\n');
  });
});

describe('sectionRange / findPart', () => {
  // A top-level message/rfc822: part 1 is the encapsulated message, 1.1 its body's first part.
  const raw = Buffer.from(
    [
      'Content-Type: message/rfc822',
      '',
      'Subject: inner',
      'Content-Type: multipart/mixed; boundary=i',
      '',
      '--i',
      'Content-Type: text/plain',
      '',
      'inner text',
      '--i--',
      '',
    ].join('\r\n'),
  );
  const s = computeMessageStructure(raw);
  const text = (section: string) => {
    const range = sectionRange(s, sectionSpec(section));
    return range === null ? null : raw.toString('latin1', range.start, range.end);
  };

  test('part numbers descend through message/rfc822 into its multipart', () => {
    expect(findPart(s, [1])?.type).toBe('message');
    expect(findPart(s, [1, 1])?.subtype).toBe('plain');
    expect(findPart(s, [1, 2])).toBeNull();
    expect(findPart(s, [2])).toBeNull();
    expect(findPart(s, [1, 1, 1])).toBeNull();
  });

  test('HEADER, TEXT and MIME at each level', () => {
    expect(text('')).toBe(raw.toString('latin1'));
    expect(text('HEADER')).toBe('Content-Type: message/rfc822\r\n\r\n');
    expect(text('1.HEADER')).toBe('Subject: inner\r\nContent-Type: multipart/mixed; boundary=i\r\n\r\n');
    expect(text('1.1')).toBe('inner text');
    expect(text('1.1.MIME')).toBe('Content-Type: text/plain\r\n\r\n');
    expect(text('1.TEXT')).toBe('--i\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--i--\r\n');
    expect(text('1.1.HEADER')).toBeNull(); // not a message/rfc822
    expect(sectionRange(s, sectionSpec('1.HEADER.FIELDS (SUBJECT)'))).toMatchObject({ headerFields: { fields: ['SUBJECT'], not: false } });
  });

  test('a part number of 0 or past the end does not exist', () => {
    expect(text('0')).toBeNull();
    expect(text('1.9')).toBeNull();
  });
});
