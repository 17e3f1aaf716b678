/**
 * Limits of the IMAP server, each with its reason (DESIGN invariant 7: every parser has explicit
 * limits; no input crashes the process or grows its memory without bound). The wire limits (line
 * length, literal sizes — small before authentication —, command size, nesting) are
 * @correio/imap-protocol's IMAP_LIMITS, applied by its CommandReceiver through receiverLimits().
 */
export interface ImapLimits {
  /**
   * RFC 9051 §5.4: an autologout timer after authentication must be at least 30 minutes; clients
   * re-issue IDLE every 29 minutes (RFC 2177) and expect that to be enough.
   */
  idleTimeoutMs: number;
  /** Before authentication the timer may be shorter (§5.4 only binds authenticated sessions): a scanner holds no slot long. */
  preAuthIdleTimeoutMs: number;
  /** Open connections per listener: sockets and memory (the SMTP listeners use 2,000). */
  maxConnections: number;
  /** One address cannot take every slot (NAT: a household or office shares one; Dovecot's default is per user+IP 10). */
  maxConnectionsPerIp: number;
  /**
   * Sessions per account (Thunderbird opens up to 5, phones 1–3, several devices add up); a runaway
   * client cannot hold hundreds of IDLE sessions. Past it LOGIN answers NO [LIMIT] (RFC 5530).
   */
  maxConnectionsPerAccount: number;
  /**
   * Output waiting in the socket (and the compressor) before the session stops producing more and
   * stops reading commands: a client that stops reading cannot grow the server's memory.
   */
  maxPendingOutputBytes: number;
  /** AUTHENTICATE's response lines (SASL PLAIN: two names and a password in base64). */
  maxSaslLineBytes: number;
  /** On shutdown sessions get "* BYE" and this long to finish the command in progress. */
  shutdownGraceMs: number;
}

export const IMAP_SERVER_LIMITS: ImapLimits = {
  idleTimeoutMs: 30 * 60_000,
  preAuthIdleTimeoutMs: 60_000,
  maxConnections: 2000,
  maxConnectionsPerIp: 100,
  maxConnectionsPerAccount: 50,
  maxPendingOutputBytes: 256 * 1024,
  maxSaslLineBytes: 8 * 1024,
  shutdownGraceMs: 2000,
};
