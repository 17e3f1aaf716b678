import { z } from 'zod';

export const LoginRequest = z.object({
  address: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const AccountSummary = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  role: z.enum(['admin', 'user']),
});
export type AccountSummary = z.infer<typeof AccountSummary>;

/** Returned by login and by GET /auth/me. The csrfToken goes back in the X-CSRF-Token header. */
export const SessionInfo = z.object({
  account: AccountSummary,
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Header every state-changing request must carry (double-submit CSRF defence). */
export const CSRF_HEADER = 'x-csrf-token';
/** Name of the httpOnly session cookie. */
export const SESSION_COOKIE = 'correio_session';
