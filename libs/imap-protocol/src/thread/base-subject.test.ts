import { describe, expect, test } from 'vitest';
import { extractBaseSubject } from './base-subject';

// RFC 5256 §2.1, one row per rule.
const cases: [subject: string, base: string, isReplyOrForward: boolean][] = [
  ['hello', 'hello', false],
  ['Re: hello', 'hello', true],
  ['RE:hello', 'hello', true],
  ['re :  hello', 'hello', true],
  ['Fw: hello', 'hello', true],
  ['FWD: Re: re: hello', 'hello', true],
  ['Ref: hello', 'Ref: hello', false],
  ['[list] Re: hello', 'hello', true],
  ['Re [list]: hello', 'hello', true],
  ['[a][b] hello', 'hello', false],
  ['[list]', '[list]', false],
  ['[a] [b]', '[b]', false],
  ['hello (fwd)', 'hello', true],
  ['hello (FWD) (fwd)  ', 'hello', true],
  ['[fwd: hello]', 'hello', true],
  ['Re: [Fwd: Re: hello (fwd)]', 'hello', true],
  ['  \t hello \t world  ', 'hello world', false],
  ['Re:', '', true],
  ['', '', false],
  ['=?utf-8?q?Re=3A_caf=C3=A9?=', 'café', true],
  [
    '=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=',
    'If you can read this you understand the example.',
    false,
  ],
];

describe('extractBaseSubject (RFC 5256 §2.1)', () => {
  test.each(cases)('%j → %j', (subject, base, isReplyOrForward) => {
    expect(extractBaseSubject(subject)).toEqual({ base, isReplyOrForward });
  });
});

describe('hostile subjects stay linear', () => {
  test.each([
    ['[a]'.repeat(80_000), '[a]'],
    [`x${' (fwd)'.repeat(40_000)}`, 'x'],
    [`${'Re: '.repeat(60_000)}x`, 'x'],
    [`${'[fwd: '.repeat(20_000)}x${']'.repeat(20_000)}`, 'x'],
  ])('%#', (subject, base) => {
    const start = Date.now();
    expect(extractBaseSubject(subject).base).toBe(base);
    expect(Date.now() - start).toBeLessThan(5000); // quadratic would take minutes
  });
});
