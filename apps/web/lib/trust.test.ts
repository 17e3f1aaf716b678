import { describe, expect, it } from 'vitest';
import { lookalikeOf, parseAuthenticationResults, trustWarnings } from './trust';

const ar = (value: string) => [
  { name: 'Received', value: 'x' },
  { name: 'Authentication-Results', value },
];

describe('parseAuthenticationResults', () => {
  it('reads spf, dkim and dmarc results (RFC 8601)', () => {
    expect(
      parseAuthenticationResults(
        ar('mx.ifsc.edu; spf=pass smtp.mailfrom=a.example; dkim=pass header.d=a.example; dmarc=fail header.from=a.example'),
      ),
    ).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'fail' });
  });
  it('ignores results inside comments and keeps a passing DKIM among several', () => {
    expect(
      parseAuthenticationResults(ar('mx; spf=softfail (dkim=pass says the sender) ; dkim=fail; dkim=pass header.d=b; dmarc=none')),
    ).toEqual({
      spf: 'softfail',
      dkim: 'pass',
      dmarc: 'none',
    });
  });
  it('believes only the topmost header and says unknown without one', () => {
    const headers = [...ar('mx; dmarc=fail'), { name: 'Authentication-Results', value: 'forged; dmarc=pass' }];
    expect(parseAuthenticationResults(headers).dmarc).toBe('fail');
    expect(parseAuthenticationResults([])).toEqual({ spf: 'unknown', dkim: 'unknown', dmarc: 'unknown' });
  });
});

describe('lookalikeOf', () => {
  it.each([
    ['paypa1.com', 'paypal.com'],
    ['rnicrosoft.com', 'microsoft.com'],
    ['g00gle.com', 'google.com'],
    ['secure.paypa1.com', 'paypal.com'],
    ['arnazon.com', 'amazon.com'],
    ['paypall.com', 'paypal.com'],
    ['xn--pple-43d.com', 'apple.com'],
    ['paypal.com', null],
    ['mail.google.com', null],
    ['ifsc.edu', null],
    ['paulolopes.fr', null],
    ['pay.com', null],
    ['localhost', null],
  ])('%s → %s', (domain, expected) => expect(lookalikeOf(domain)).toBe(expected));

  it('checks against extra known domains (the account’s own)', () => {
    expect(lookalikeOf('ifsc-edu.com', ['ifsc.edu'])).toBeNull();
    expect(lookalikeOf('1fsc.edu', ['ifsc.edu'])).toBe('ifsc.edu');
  });
});

describe('trustWarnings', () => {
  const pass = { spf: 'pass', dkim: 'pass', dmarc: 'pass' } as const;
  it('warns on a DMARC failure and on a look-alike, and says nothing otherwise', () => {
    expect(trustWarnings('a@paypal.com', { ...pass, dmarc: 'fail' }).map((w) => w.kind)).toEqual(['dmarc-fail']);
    expect(trustWarnings('a@paypa1.com', pass).map((w) => w.kind)).toEqual(['lookalike']);
    expect(trustWarnings('bruna@paulolopes.fr', pass)).toEqual([]);
  });
});
