import { AppError, ErrorCode, isDatabaseUnavailable } from '../common/app-error.js';

/**
 * SMTP replies with RFC 3463 enhanced status codes. The text starts with the enhanced code, which
 * smtp-server then keeps (see smtp-server-patches.ts).
 */
export type SmtpError = Error & { responseCode: number };

export function smtpError(code: number, enhanced: string, text: string): SmtpError {
  const err = new Error(`${enhanced} ${text}`) as SmtpError;
  err.responseCode = code;
  return err;
}

/** Maps an error from the store to the reply the sender must see; never a 2xx, never internals. */
export function toSmtpError(err: unknown): SmtpError {
  if (err instanceof AppError) {
    switch (err.code) {
      case ErrorCode.OverQuota:
        return smtpError(452, '4.2.2', 'Mailbox full, try again later');
      case ErrorCode.TooLarge:
        return smtpError(552, '5.3.4', 'Message too big');
      case ErrorCode.NotFound:
        return smtpError(450, '4.2.1', 'Mailbox unavailable, try again later');
      default:
        break;
    }
  }
  if (isDatabaseUnavailable(err)) return smtpError(451, '4.3.0', 'Temporary local problem, try again later');
  // RFC 5321 §4.2.5: when in doubt after DATA, a 4xx makes the sender retry — nothing is lost.
  return smtpError(451, '4.3.0', 'Local error in processing, try again later');
}
