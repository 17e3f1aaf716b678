import type { Logger } from '@nestjs/common';
import { AppError, ErrorCode, isDatabaseUnavailable } from '../common/app-error.js';
import type { Completion } from './command-context.js';

/**
 * AppError codes → IMAP, mapped once (RFC 5530 response codes; the store's contract in
 * mailbox-store/imap-store.types.ts). AppError texts are written for users and safe to send;
 * anything else is logged and answered NO [UNAVAILABLE] with a fixed text — internal errors never
 * reach the wire.
 */
const CODES: Record<ErrorCode, string> = {
  [ErrorCode.NotFound]: 'NONEXISTENT',
  [ErrorCode.Conflict]: 'ALREADYEXISTS',
  [ErrorCode.Forbidden]: 'CANNOT',
  [ErrorCode.OverQuota]: 'OVERQUOTA',
  [ErrorCode.TooLarge]: 'TOOBIG',
  [ErrorCode.InvalidInput]: 'CANNOT',
  [ErrorCode.Unauthenticated]: 'AUTHENTICATIONFAILED',
  [ErrorCode.Unavailable]: 'UNAVAILABLE',
  [ErrorCode.RateLimited]: 'LIMIT',
};

/** The NO for a failed command; `logger` hears about everything that is not an AppError. */
export function toCompletion(err: unknown, logger: Logger): Completion {
  if (err instanceof AppError) return { status: 'NO', code: CODES[err.code], text: sanitize(err.message) };
  if (isDatabaseUnavailable(err)) return { status: 'NO', code: 'UNAVAILABLE', text: 'Temporarily unavailable, try again later' };
  logger.warn(`command failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { status: 'NO', code: 'UNAVAILABLE', text: 'Temporary server error, try again later' };
}

/** Response text is one line of TEXT-CHAR (RFC 9051 §9 resp-text): no CR/LF, no "[" at its start. */
export function sanitize(text: string): string {
  const line = text.replace(/[\r\n\0]+/g, ' ').trim();
  return (line.startsWith('[') ? line.slice(1) : line) || 'Failed';
}
