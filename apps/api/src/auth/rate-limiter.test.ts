import { describe, expect, it } from 'vitest';
import { bearerToken } from './session.guard.js';
import { FixedWindowLimiter } from './rate-limiter.js';

describe('FixedWindowLimiter', () => {
  it('allows `limit` requests per window and key, then refuses until the window ends', () => {
    const l = new FixedWindowLimiter(3, 60_000);
    const t0 = 1_000_000;
    expect(l.take('a', t0)).toEqual({ isAllowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
    expect(l.take('a', t0 + 1).remaining).toBe(1);
    expect(l.take('b', t0 + 2).remaining).toBe(2);
    expect(l.take('a', t0 + 10_500)).toEqual({ isAllowed: true, limit: 3, remaining: 0, resetSeconds: 50 });
    expect(l.take('a', t0 + 59_001)).toEqual({ isAllowed: false, limit: 3, remaining: 0, resetSeconds: 1 });
    expect(l.take('a', t0 + 60_000)).toEqual({ isAllowed: true, limit: 3, remaining: 2, resetSeconds: 60 });
  });

  it('is off with a limit of 0', () => {
    expect(new FixedWindowLimiter(0, 60_000).isEnabled).toBe(false);
  });
});

describe('bearerToken (RFC 6750 §2.1)', () => {
  it.each([
    [undefined, undefined],
    ['Basic dXNlcjpwYXNz', undefined],
    ['Bearer cor_abc', 'cor_abc'],
    ['bearer cor_abc', 'cor_abc'],
    ['BEARER   cor_abc  ', 'cor_abc'],
    ['Bearer', ''],
    ['Bearer ', ''],
    ['Bearer a b', undefined],
    ['Bearerish x', undefined],
  ])('%j → %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
