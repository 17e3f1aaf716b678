/**
 * Limits of the IMAP wire, each with its reason. The receiver (receiver.ts) enforces them while
 * framing, before anything is parsed, so no input can grow the server's memory past them.
 */
export const IMAP_LIMITS = {
  /**
   * One command line (text between literals), CRLF excluded. RFC 9051 §4 sets no limit, but
   * RFC 7162 §4 asks servers to accept lines of at least 8192 octets; long UID sets from
   * clients that do not compress them ("1,3,5,7,…") are the real cases, so 64 KiB.
   */
  maxLineBytes: 64 * 1024,
  /**
   * Literals before authentication: only LOGIN/AUTHENTICATE arguments are legitimate there, and a
   * client that is nobody yet must not make the server buffer big data (RFC 9051 §11.1 spirit).
   */
  maxLiteralBytesBeforeAuth: 8 * 1024,
  /** The whole command (lines and literals) before authentication: a LOGIN with two literals fits. */
  maxCommandBytesBeforeAuth: 64 * 1024,
  /**
   * A command's lines and literals together after authentication, above the APPEND limit: the
   * receiver keeps a whole command in memory, so this bounds memory per connection. The slack
   * covers APPEND's flags/date and a MULTIAPPEND of small messages.
   */
  commandSlackBytes: 1024 * 1024,
  /** RFC 7888 §4: with LITERAL- a non-synchronizing literal may be at most 4096 octets. */
  maxLiteralMinusBytes: 4096,
  /**
   * Parenthesis nesting across a command (SEARCH NOT/OR groups, FETCH lists). Real clients nest a
   * few levels; the parser recurses per level, so a bound keeps the stack small.
   */
  maxNesting: 32,
  /** Bytes of the numbers a client may announce as a literal size ({n}): more digits is an attack. */
  maxLiteralDigits: 12,
} as const;

/** The limits one CommandReceiver applies; receiverLimits builds them from session facts. */
export interface ReceiverLimits {
  maxLineBytes: number;
  maxCommandBytes: number;
  maxLiteralBytes: number;
  /** LITERAL-: 4096 (RFC 7888 §4); LITERAL+: the same as maxLiteralBytes. */
  maxNonSyncLiteralBytes: number;
  /**
   * A non-synchronizing literal over the limit is read and dropped (the client sends it without
   * waiting, RFC 7888 §4) when it is at most this many bytes; above it the connection is closed,
   * since reading gigabytes only to drop them serves nobody. 0 before authentication.
   */
  maxDiscardBytes: number;
  maxNesting: number;
}

export interface SessionLimitFacts {
  isAuthenticated: boolean;
  /** The APPEND limit (APPENDLIMIT, RFC 7889) = the largest message the store accepts. */
  appendLimit: number;
  /** True when the server announces LITERAL- instead of LITERAL+. */
  isLiteralMinus?: boolean;
}

export function receiverLimits(facts: SessionLimitFacts): ReceiverLimits {
  const maxLiteralBytes = facts.isAuthenticated ? facts.appendLimit : IMAP_LIMITS.maxLiteralBytesBeforeAuth;
  return {
    maxLineBytes: IMAP_LIMITS.maxLineBytes,
    maxCommandBytes: facts.isAuthenticated ? facts.appendLimit + IMAP_LIMITS.commandSlackBytes : IMAP_LIMITS.maxCommandBytesBeforeAuth,
    maxLiteralBytes,
    maxNonSyncLiteralBytes: facts.isLiteralMinus ? Math.min(IMAP_LIMITS.maxLiteralMinusBytes, maxLiteralBytes) : maxLiteralBytes,
    maxDiscardBytes: facts.isAuthenticated ? 2 * facts.appendLimit : 0,
    maxNesting: IMAP_LIMITS.maxNesting,
  };
}
