import { describe, expect, it } from 'vitest';
import { findLookalike, skeleton, withinOneEdit } from './lookalike.js';
import { POPULAR_DOMAINS } from './popular-domains.js';

const KNOWN = ['paulolopes.fr', 'ifsc.edu', ...POPULAR_DOMAINS];

// From domain → the known domain it imitates (or undefined when it is fine).
describe('findLookalike', () => {
  it.each([
    // known, or a subdomain of a known one: fine
    ['paypal.com', undefined],
    ['PayPal.COM.', undefined],
    ['mail.paulolopes.fr', undefined],
    ['ifsc.edu', undefined],
    // unrelated domains: fine
    ['example.org', undefined],
    ['ufsc.edu', undefined], // one edit from ifsc.edu, but short names are too often real neighbours
    ['correio.dev', undefined],
    ['gmail.co.uk', undefined],
    // homographs (Cyrillic а, о, е; Greek ο), also written in punycode
    ['pаypal.com', 'paypal.com'],
    ['xn--pypal-4ve.com', 'paypal.com'],
    ['gοogle.com', 'google.com'],
    ['аpple.com', 'apple.com'],
    ['paulolopеs.fr', 'paulolopes.fr'],
    // digit swaps and rn/m
    ['paypa1.com', 'paypal.com'],
    ['g00gle.com', 'google.com'],
    ['rnicrosoft.com', 'microsoft.com'],
    ['arnazon.com', 'amazon.com'],
    // accents
    ['paulolópes.fr', 'paulolopes.fr'],
    // one edit: insert, delete, substitute, swap
    ['paypall.com', 'paypal.com'],
    ['paypl.com', 'paypal.com'],
    ['paypel.com', 'paypal.com'],
    ['paulolopse.fr', 'paulolopes.fr'],
    ['gmial.com', 'gmail.com'],
    ['paulolopes.fe', 'paulolopes.fr'],
    ['paulo-lopes.fr', 'paulolopes.fr'],
    // the known name at the start of another domain
    ['paypal.com.account-check.net', 'paypal.com'],
  ])('%s → %s', (from, resembles) => {
    expect(findLookalike(from, KNOWN)?.resembles).toBe(resembles);
  });

  it('names the From domain in its normal form', () => {
    expect(findLookalike('XN--PYPAL-4VE.COM', KNOWN)).toEqual({ domain: 'pаypal.com', resembles: 'paypal.com' });
  });

  it('knows nothing without known domains, and nothing of an empty From', () => {
    expect(findLookalike('paypa1.com', [])).toBeUndefined();
    expect(findLookalike('', KNOWN)).toBeUndefined();
  });
});

describe('skeleton and withinOneEdit', () => {
  it.each([
    ['раураl.com', 'paypal.com'],
    ['c1oudflare.com', 'doudflare.com'],
    ['vvikipedia.org', 'wikipedia.org'],
  ])('skeleton(%s) = %s', (d, s) => {
    expect(skeleton(d)).toBe(skeleton(s));
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', true],
    ['abc', 'acb', true],
    ['abc', 'ab', true],
    ['abc', 'xabc', true],
    ['abc', 'cba', false],
    ['abc', 'a', false],
    ['abcd', 'abdc', true],
    ['abcd', 'badc', false],
  ])('%s ~ %s: %s', (a, b, r) => {
    expect(withinOneEdit(a, b)).toBe(r);
  });
});
