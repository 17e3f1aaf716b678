/**
 * Limits of the MIME splitter (DESIGN invariant 7: every parser has explicit limits). Past a limit
 * the splitter stops descending and keeps the rest as one opaque part; it never throws, so a hostile
 * message still gets a BODYSTRUCTURE and its bytes stay fetchable.
 */
export const MIME_LIMITS = {
  /** Nesting of multipart and message/rfc822 entities. Real mail rarely goes past 5; Dovecot stops at 100. */
  maxDepth: 32,
  /** MIME entities per message (all levels). Dovecot's default is 10,000; 1,000 covers real mail. */
  maxParts: 1000,
  /** Header bytes read into fields per entity; the rest of an oversized header is skipped, not parsed. */
  maxHeaderBytes: 256 * 1024,
} as const;

export type MimeLimits = { maxDepth: number; maxParts: number; maxHeaderBytes: number };
