import { describe, expect, it } from 'vitest';
import { ancestorsOf, matcherFor } from './list-pattern.js';

// RFC 9051 §6.3.9: "*" matches across levels, "%" within one; the reference is prepended; INBOX in any case.
describe('LIST patterns', () => {
  const cases: [reference: string, pattern: string, name: string, matches: boolean][] = [
    ['', '*', 'INBOX', true],
    ['', '*', 'a/b/c', true],
    ['', '%', 'a', true],
    ['', '%', 'a/b', false],
    ['', 'a/%', 'a/b', true],
    ['', 'a/%', 'a/b/c', false],
    ['', 'a/*', 'a/b/c', true],
    ['', 'a*', 'a', true],
    ['', 'a*', 'ab/c', true],
    ['a/', '%', 'a/b', true],
    ['a/', '%', 'b', false],
    ['', 'inbox', 'INBOX', true],
    ['', 'Inbox/%', 'INBOX/x', true],
    ['', 'inbox', 'Inbox2', false],
    ['', 'sent', 'Sent', false],
    ['', 'Sent', 'Sent', true],
    ['', 'a.b', 'axb', false],
    ['', 'a(b)+', 'a(b)+', true],
    ['', 'Caf%', 'Café', true],
    ['', '%/%', 'a/b', true],
  ];
  it.each(cases)('reference %j pattern %j vs %j → %s', (reference, pattern, name, matches) => {
    expect(matcherFor(reference, pattern)(name)).toBe(matches);
  });

  it('ancestors of a name, outermost first', () => {
    expect(ancestorsOf('a/b/c')).toEqual(['a', 'a/b']);
    expect(ancestorsOf('INBOX')).toEqual([]);
  });
});
