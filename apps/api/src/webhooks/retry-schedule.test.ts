import { describe, expect, it } from 'vitest';
import { nextAttemptAt } from './retry-schedule.js';

describe('webhook retry schedule', () => {
  const t0 = new Date('2026-12-10T00:00:00Z');
  const until = new Date(t0.getTime() + 24 * 3_600_000);
  const mid = () => 0.5; // no jitter

  it('doubles from the base, capped at an hour', () => {
    const waits = [1, 2, 3, 4, 10, 11, 20].map((n) => nextAttemptAt(n, t0, until, 5_000, mid)!.getTime() - t0.getTime());
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 2_560_000, 3_600_000, 3_600_000]);
  });

  it('jitters within ±20%', () => {
    expect(nextAttemptAt(1, t0, until, 10_000, () => 0)!.getTime() - t0.getTime()).toBe(8_000);
    expect(nextAttemptAt(1, t0, until, 10_000, () => 1)!.getTime() - t0.getTime()).toBe(12_000);
  });

  it('retries for the whole window (at least 24 h), the last attempt at its end, then gives up', () => {
    let now = t0;
    let attempts = 0;
    for (;;) {
      attempts++;
      const next = nextAttemptAt(attempts, now, until, 5_000);
      if (!next) break;
      now = next;
    }
    expect(now.getTime()).toBe(until.getTime());
    expect(attempts).toBeGreaterThan(25);
    expect(attempts).toBeLessThan(45);
  });
});
