import { describe, expect, it } from 'vitest';
import { highlightSegments, segmentsFromRanges, termsOfQuery } from './highlight';

const render = (text: string, terms: string[]) =>
  highlightSegments(text, terms)
    .map((s) => (s.isHit ? `[${s.text}]` : s.text))
    .join('');

describe('highlightSegments', () => {
  it.each([
    ['Meeting tomorrow', ['meeting'], '[Meeting] tomorrow'],
    ['budget and Budget', ['BUDGET'], '[budget] and [Budget]'],
    ['the report is ready', ['report', 'ready'], 'the [report] is [ready]'],
    ['overlapping', ['overlap', 'lapping'], '[overlapping]'],
    ['abcabc', ['abc'], '[abc][abc]'.replace('][', '')],
    ['nothing here', ['zzz'], 'nothing here'],
    ['no terms', [], 'no terms'],
    ['', ['x'], ''],
    ['spaces', ['  ', ''], 'spaces'],
  ])('%s with %o → %s', (text, terms, expected) => expect(render(text, terms)).toBe(expected));

  it('keeps the original text exactly (segments join back to it)', () => {
    const text = 'Ação <b>não</b> é HTML';
    expect(
      highlightSegments(text, ['não', '<b>'])
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });
});

describe('termsOfQuery', () => {
  it.each([
    ['budget report', ['budget', 'report']],
    ['"quarterly budget" draft', ['quarterly budget', 'draft']],
    ['from:ana subject:invoice', ['ana', 'invoice']],
    ['is:unread has:attachment in:inbox label:work larger:1M before:2026/01/01', []],
    ['budget -spam', ['budget']],
    ['cats OR dogs', ['cats', 'dogs']],
    ['subject:"big news"', ['big news']],
  ])('%s → %o', (q, terms) => expect(termsOfQuery(q)).toEqual(terms));
});

describe('segmentsFromRanges', () => {
  const show = (text: string, ranges: { start: number; end: number }[]) =>
    segmentsFromRanges(text, ranges)
      .map((s) => (s.isHit ? `[${s.text}]` : s.text))
      .join('');
  it.each([
    ['budget report', [{ start: 0, end: 6 }], '[budget] report'],
    [
      'budget report',
      [
        { start: 7, end: 13 },
        { start: 0, end: 6 },
      ],
      '[budget] [report]',
    ],
    [
      'abcdef',
      [
        { start: 1, end: 3 },
        { start: 2, end: 5 },
      ],
      'a[bcde]f',
    ],
    [
      'abcdef',
      [
        { start: 1, end: 3 },
        { start: 3, end: 4 },
      ],
      'a[bcd]ef',
    ],
    ['abc', [{ start: -2, end: 99 }], '[abc]'],
    ['abc', [{ start: 2, end: 2 }], 'abc'],
    ['', [{ start: 0, end: 1 }], ''],
  ])('%s %o → %s', (text, ranges, expected) => expect(show(text, ranges)).toBe(expected));
});
