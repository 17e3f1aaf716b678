/** Scheduled-send presets, in the browser's local time (what the person means by "tomorrow"). */

export interface SchedulePreset {
  label: string;
  at: Date;
}

function atHour(base: Date, daysAhead: number, hour: number): Date {
  return new Date(base.getFullYear(), base.getMonth(), base.getDate() + daysAhead, hour, 0, 0, 0);
}

/** Tomorrow 8:00, tomorrow 13:00 and the next Monday 8:00 (a week ahead when today is Monday; not on a Sunday). */
export function schedulePresets(now: Date = new Date()): SchedulePreset[] {
  const day = now.getDay(); // 0 Sunday … 6 Saturday
  const toMonday = (8 - day) % 7 || 7;
  const presets = [
    { label: 'Tomorrow morning', at: atHour(now, 1, 8) },
    { label: 'Tomorrow afternoon', at: atHour(now, 1, 13) },
  ];
  // On a Sunday, Monday morning is tomorrow morning: offer it once.
  if (toMonday !== 1) presets.push({ label: 'Monday morning', at: atHour(now, toMonday, 8) });
  return presets;
}

/** Value for <input type="datetime-local"> (local time, minutes). */
export function toDateTimeLocal(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The datetime-local value as a Date, or null when empty or unreadable. */
export function fromDateTimeLocal(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Why a picked time cannot be used, or null when it can (the API allows up to a year ahead). */
export function scheduleProblem(at: Date | null, now: Date = new Date()): string | null {
  if (!at) return 'Pick a date and time.';
  if (at.getTime() <= now.getTime() + 60_000) return 'Pick a time in the future.';
  if (at.getTime() > now.getTime() + 365 * 24 * 3600_000) return 'Pick a time within a year.';
  return null;
}
