import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  afterEach(() => vi.useRealTimers());
  const ip = 'ip:192.0.2.1';
  const ana = 'acct:ana@example.org';
  const bia = 'acct:bia@example.org';

  it('is free for the first three failures, then doubles from 500 ms up to 15 s', () => {
    const t = new LoginThrottle();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      delays.push(t.delayFor([ip, ana]));
      t.recordFailure([ip, ana]);
    }
    expect(delays).toEqual([0, 0, 0, 500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
  });

  it('counts per key: failures on one account slow another account from the same address', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.recordFailure([ip, ana]);
    expect(t.delayFor(['ip:198.51.100.7', bia])).toBe(0);
    expect(t.delayFor([ip, bia])).toBe(1000);
    expect(t.delayFor(['ip:198.51.100.7', ana])).toBe(1000);
  });

  it('a success clears only the keys it is given', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.recordFailure([ip, ana]);
    t.recordSuccess([ana]);
    expect(t.delayFor(['ip:198.51.100.7', ana])).toBe(0);
    expect(t.delayFor([ip, bia])).toBe(1000);
  });

  it('forgets failures after 15 minutes', () => {
    vi.useFakeTimers();
    const t = new LoginThrottle();
    for (let i = 0; i < 5; i++) t.recordFailure([ip]);
    expect(t.delayFor([ip])).toBe(2000);
    vi.advanceTimersByTime(15 * 60_000 + 1);
    expect(t.delayFor([ip])).toBe(0);
    t.recordFailure([ip]);
    expect(t.delayFor([ip])).toBe(0); // counting starts again
  });
});
