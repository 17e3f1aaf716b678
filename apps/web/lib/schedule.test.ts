import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, scheduleProblem, schedulePresets, toDateTimeLocal } from './schedule';

const local = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi);

describe('schedulePresets', () => {
  it('on a Wednesday: tomorrow 8:00 and 13:00, Monday 8:00 next week', () => {
    const [morning, afternoon, monday] = schedulePresets(local(2026, 3, 4, 22, 30)); // Wed 4 Mar 2026
    expect(morning?.at).toEqual(local(2026, 3, 5, 8));
    expect(afternoon?.at).toEqual(local(2026, 3, 5, 13));
    expect(monday?.at).toEqual(local(2026, 3, 9, 8));
  });
  it('on a Monday, "Monday morning" is a week ahead; on a Sunday it is not offered (it is tomorrow morning)', () => {
    expect(schedulePresets(local(2026, 3, 9, 7))[2]?.at).toEqual(local(2026, 3, 16, 8));
    expect(schedulePresets(local(2026, 3, 8, 7)).map((p) => p.label)).toEqual(['Tomorrow morning', 'Tomorrow afternoon']);
  });
  it('crosses month ends', () => {
    expect(schedulePresets(local(2026, 1, 31, 12))[0]?.at).toEqual(local(2026, 2, 1, 8));
  });
});

describe('datetime-local', () => {
  it('round-trips', () => {
    const d = local(2026, 12, 6, 9, 5);
    expect(toDateTimeLocal(d)).toBe('2026-12-06T09:05');
    expect(fromDateTimeLocal('2026-12-06T09:05')).toEqual(d);
    expect(fromDateTimeLocal('')).toBeNull();
  });
  it('refuses the past and more than a year ahead', () => {
    const now = local(2026, 3, 4, 12);
    expect(scheduleProblem(null, now)).toBe('Pick a date and time.');
    expect(scheduleProblem(local(2026, 3, 4, 11), now)).toBe('Pick a time in the future.');
    expect(scheduleProblem(local(2027, 3, 5, 12), now)).toBe('Pick a time within a year.');
    expect(scheduleProblem(local(2026, 3, 5, 8), now)).toBeNull();
  });
});
