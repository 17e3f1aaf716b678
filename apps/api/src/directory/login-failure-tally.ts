import { loginFailures } from '../metrics/metrics.js';

const HOUR = 3_600_000;

/** This process's failed logins not yet written to login_failures_hourly: hour start (ms) → count. */
const pending = new Map<number, number>();

/**
 * A failed login on any protocol (wrong password, unknown or disabled account): counted for
 * /metrics and, per hour, for the admin overview. In memory, so a password-guessing burst costs no
 * database write per attempt; LoginFailuresService writes the tally out.
 */
export function recordLoginFailure(now = Date.now()): void {
  loginFailures.inc();
  const hour = Math.floor(now / HOUR) * HOUR;
  pending.set(hour, (pending.get(hour) ?? 0) + 1);
}

/** Takes the tally for writing; give it back with returnLoginFailures if the write fails. */
export function takeLoginFailures(): Map<number, number> {
  const taken = new Map(pending);
  pending.clear();
  return taken;
}

export function returnLoginFailures(taken: Map<number, number>): void {
  for (const [hour, n] of taken) pending.set(hour, (pending.get(hour) ?? 0) + n);
}

/** Failed logins still in memory, in hours starting at or after `since` (ms). */
export function pendingLoginFailuresSince(since: number): number {
  let n = 0;
  for (const [hour, count] of pending) if (hour >= since) n += count;
  return n;
}
