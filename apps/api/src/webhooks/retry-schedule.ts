/** The longest wait between two attempts. */
const MAX_WAIT_MS = 3_600_000;

/**
 * When to try a failed webhook delivery again: exponential backoff from `baseMs` (5 s by default),
 * doubling per attempt up to an hour, with ±20% jitter so receivers that came back are not hit by
 * every sender at once; never past `retryUntil`, where the last attempt is made. After an attempt
 * at or past `retryUntil`: null, the delivery has failed. With the defaults (5 s base, 24 h window)
 * that is about 34 attempts (Standard Webhooks asks for retries "over a period of time"; Svix's own
 * schedule ends after about 27 h).
 *
 * attempts: the attempts made so far, this one included (1 after the first failure).
 */
export function nextAttemptAt(attempts: number, now: Date, retryUntil: Date, baseMs: number, random: () => number = Math.random): Date | null {
  if (now.getTime() >= retryUntil.getTime()) return null;
  const wait = Math.min(baseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30), MAX_WAIT_MS);
  const jittered = wait * (0.8 + 0.4 * random());
  return new Date(Math.min(now.getTime() + jittered, retryUntil.getTime()));
}
