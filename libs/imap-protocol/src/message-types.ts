/**
 * The parsed shape of a stored message that FETCH needs (RFC 9051 §7.5.2 ENVELOPE and
 * BODYSTRUCTURE), computed ONCE per message by computeMessageStructure (message/compute-structure.ts) and
 * kept by the store as JSON, so FETCH never re-parses a message. Byte offsets point into the raw
 * message so BODY[section] is served as byte ranges read straight from the blob store.
 * All fields are JSON-safe (no Buffers, no bigint, no Dates).
 */

export interface EnvelopeAddress {
  /** Display name as sent (quotes undone, RFC 2047 encoded words NOT decoded: clients decode, as with Dovecot), or null. */
  name: string | null;
  /** RFC 9051 addr-adl: the obsolete source route of "<@relay1,@relay2:user@host>", usually null. */
  adl: string | null;
  /** Local part, or null for a group end marker; the group name for a group start marker (host null). */
  mailbox: string | null;
  host: string | null;
}

/** RFC 9051 §7.5.2 ENVELOPE. Strings are the header values as sent, unfolded, NOT RFC 2047-decoded (clients decode). */
export interface Envelope {
  date: string | null;
  subject: string | null;
  from: EnvelopeAddress[] | null;
  sender: EnvelopeAddress[] | null;
  replyTo: EnvelopeAddress[] | null;
  to: EnvelopeAddress[] | null;
  cc: EnvelopeAddress[] | null;
  bcc: EnvelopeAddress[] | null;
  inReplyTo: string | null;
  messageId: string | null;
}

/** One MIME entity of the message tree (the message itself is the root). */
export interface BodyPart {
  /**
   * Lower-cased type/subtype ("text", "plain"); defaults per RFC 2045 §5.2 when absent or invalid.
   * An entity past the MIME limits (mime-limits.ts) is "application"/"octet-stream" with no children.
   */
  type: string;
  subtype: string;
  /**
   * Content-Type parameters as BODYSTRUCTURE sends them: names lower-cased, RFC 2231 continuations
   * joined, a charset-encoded value kept encoded under its starred name ("filename*": "utf-8''%E2%82%AC")
   * as Dovecot does; decodeParameter() decodes. text/* always has a charset (us-ascii by default).
   */
  params: Record<string, string>;
  id: string | null;
  description: string | null;
  /** Lower-cased Content-Transfer-Encoding, "7bit" when absent. */
  encoding: string;
  /** Size in octets of the body (after the blank line), as transferred. */
  size: number;
  /** Line ends (LF) in the body, for text/* and message/rfc822 (RFC 9051 body-fld-lines), as Dovecot counts; else null. */
  lines: number | null;
  md5: string | null;
  /** Content-Disposition (RFC 2183): lower-cased type, parameters in the same form as params. */
  disposition: { type: string; params: Record<string, string> } | null;
  language: string[] | null;
  location: string | null;
  /** Byte offsets in the raw message: header block [headerStart, bodyStart), body [bodyStart, bodyEnd). */
  headerStart: number;
  bodyStart: number;
  bodyEnd: number;
  /** multipart/*: the children, in order (part numbers 1..n). */
  children?: BodyPart[];
  /** message/rfc822 (and message/global): the encapsulated message's envelope and root part. */
  message?: { envelope: Envelope; body: BodyPart };
}

export interface MessageStructure {
  /**
   * MESSAGE_STRUCTURE_VERSION of the code that computed it. The store recomputes a kept structure whose
   * version is lower than the current one. Bumped whenever computeMessageStructure's output changes
   * (a fix or a new field); new fields are optional so older kept JSON still reads.
   */
  version: number;
  envelope: Envelope;
  body: BodyPart;
}
