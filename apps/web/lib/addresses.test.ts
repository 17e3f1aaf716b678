import { describe, expect, it } from 'vitest';
import { addRecipients, invalidAddresses, isValidAddress, parseAddressList, parseRecipient, splitAddressList } from './addresses';

describe('splitAddressList', () => {
  it.each([
    ['a@x.org, Bob <b@y.org>; c@z.org', ['a@x.org', 'Bob <b@y.org>', 'c@z.org']],
    ['"Doe, John" <j@d.org>, k@d.org', ['"Doe, John" <j@d.org>', 'k@d.org']],
    ['<odd,one@x.org>', ['<odd,one@x.org>']],
    [' , ;; a@x.org ,', ['a@x.org']],
    ['a@x.org\nb@y.org', ['a@x.org', 'b@y.org']],
    ['"say \\"hi\\", ok" <h@x.org>', ['"say \\"hi\\", ok" <h@x.org>']],
    ['', []],
  ])('%j', (input, expected) => {
    expect(splitAddressList(input)).toEqual(expected);
  });
});

describe('parseRecipient', () => {
  it.each([
    ['a@x.org', { address: 'a@x.org', isValid: true }],
    ['Bob <b@y.org>', { name: 'Bob', address: 'b@y.org', isValid: true }],
    ['"Doe, John" <j@d.org>', { name: 'Doe, John', address: 'j@d.org', isValid: true }],
    ['<c@z.org>', { address: 'c@z.org', isValid: true }],
    ['mailto:m@x.org', { address: 'm@x.org', isValid: true }],
    ['not-an-address', { address: 'not-an-address', isValid: false }],
    ['Eve <eve@>', { name: 'Eve', address: 'eve@', isValid: false }],
    ['b@y.org <b@y.org>', { address: 'b@y.org', isValid: true }],
  ])('%j', (input, expected) => {
    expect(parseRecipient(input)).toEqual(expected);
  });
});

describe('isValidAddress', () => {
  it.each([
    ['user@example.com', true],
    ['first.last+tag@sub.example.co.uk', true],
    ['a@b', false],
    ['.a@b.org', false],
    ['a..b@c.org', false],
    ['a b@c.org', false],
    ['a@b.c', false],
    ['@x.org', false],
  ])('%s → %s', (address, ok) => {
    expect(isValidAddress(address)).toBe(ok);
  });
});

describe('parseAddressList + addRecipients', () => {
  it('makes three chips from a pasted list and drops duplicates case-insensitively', () => {
    const chips = parseAddressList('a@x.org, Bob <b@y.org>; c@z.org');
    expect(chips.map((c) => c.address)).toEqual(['a@x.org', 'b@y.org', 'c@z.org']);
    const merged = addRecipients(chips, parseAddressList('A@X.org, d@w.org'));
    expect(merged.map((c) => c.address)).toEqual(['a@x.org', 'b@y.org', 'c@z.org', 'd@w.org']);
  });

  it('names the invalid ones across fields', () => {
    expect(invalidAddresses(parseAddressList('ok@x.org, nope'), parseAddressList('bad@'))).toEqual(['nope', 'bad@']);
  });
});
