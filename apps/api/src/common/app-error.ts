/**
 * One error type for the whole backend. Services throw AppError with a code; each wire maps the code
 * once: HTTP status (http-exception.filter.ts), SMTP reply (smtp-ingress/smtp-replies.ts), and later
 * IMAP `NO [CODE]` and POP3 `-ERR [CODE]`. Internal errors never reach the wire as text.
 */
export enum ErrorCode {
  NotFound = 'not_found',
  InvalidInput = 'invalid_input',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  Conflict = 'conflict',
  OverQuota = 'over_quota',
  TooLarge = 'too_large',
  Unavailable = 'unavailable',
  /** Too many requests (REST rate limits, issue 13). */
  RateLimited = 'rate_limited',
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static notFound(what = 'not found'): AppError {
    return new AppError(ErrorCode.NotFound, what);
  }
  static invalid(message: string, details?: unknown): AppError {
    return new AppError(ErrorCode.InvalidInput, message, details);
  }
}

export const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.OverQuota]: 507,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.RateLimited]: 429,
};

/** True for errors that mean "the database is not reachable right now" (retry later, never 2xx). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08003', '08006'].includes(
      code,
    ) || /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(String(err))
  );
}
