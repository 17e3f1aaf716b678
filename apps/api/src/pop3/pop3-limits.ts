import { POP3_LIMITS } from '@correio/pop3-protocol';

/** Limits of the POP3 server, each with its reason (wire limits come from @correio/pop3-protocol). */
export const POP3_SERVER_LIMITS = {
  ...POP3_LIMITS,
  /** Lines buffered ahead of the one being handled (RFC 2449 PIPELINING); beyond it reading pauses. */
  maxQueuedLines: 64,
  /** Open connections per listener: sockets and memory (the SMTP listeners use 2,000). */
  maxConnections: 2000,
  /** On shutdown, sessions are cut at once: nothing in POP3 needs finishing (UPDATE is one COMMIT). */
} as const;
