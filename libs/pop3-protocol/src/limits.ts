/** Limits of the POP3 wire, each with its reason. */
export const POP3_LIMITS = {
  /** RFC 2449 §4: a command line, including its CRLF, is at most 255 octets. */
  maxCommandLineOctets: 255,
  /**
   * A SASL response line (RFC 5034 §4). Not bound by the 255 octets of a command; an AUTH PLAIN
   * response is authzid, authcid and password in base64, so 2 KiB is ample.
   */
  maxSaslLineOctets: 2048,
  /** RFC 1939 §3: keywords are three or four characters. */
  maxKeywordLength: 4,
  /** RFC 1939 §3: the autologout timer is at least 10 minutes. */
  idleTimeoutMs: 10 * 60_000,
} as const;
