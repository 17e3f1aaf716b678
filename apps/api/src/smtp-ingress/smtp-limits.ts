/** Every limit of the SMTP listeners in one place, each with its reason (DESIGN invariant 7). */
export const SMTP_LIMITS = {
  /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets; extensions (SIZE, DSN) add a little. */
  maxCommandLength: 2048,
  /** RFC 5321 §4.5.3.2.7: the server timeout is at least 5 minutes. */
  socketTimeoutMs: 5 * 60_000,
  /** A whole session, however busy: a slow-drip client cannot hold a slot forever. */
  maxSessionMs: 30 * 60_000,
  /** Graceful shutdown: in-flight DATA gets this long, then 421. */
  closeTimeoutMs: 10_000,
  /** All connections of one listener (each costs a socket and a little memory). */
  maxClients: 2_000,
  /** Commands before AUTH on submission: a client that never authenticates is cut off early. */
  maxUnauthenticatedCommands: 20,
} as const;
