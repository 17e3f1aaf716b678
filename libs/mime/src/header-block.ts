/**
 * The top-level header block of a raw message, found without parsing the body, so that the
 * receiving path can tell cheaply when a full MIME parse has nothing to find (a single-part text
 * message has no nested structure to limit, no attachments to list, and a snippet that only depends
 * on the start of its body).
 */
export interface HeaderBlock {
  /** Bytes of the header section including the CRLF CRLF that ends it. */
  length: number;
  /** The header section as latin1 text (one char per byte; field names and MIME types are ASCII). */
  text: string;
}

/** The header block, or undefined when the message has no empty line within `maxBytes`. */
export function findHeaderBlock(raw: Buffer, maxBytes = 256 * 1024): HeaderBlock | undefined {
  const end = raw.subarray(0, maxBytes + 4).indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  return { length: end + 4, text: raw.toString('latin1', 0, end + 2) };
}

// A Content-Type or Content-Disposition that makes the message more than one plain text part.
// Deliberately loose (anywhere in the block, any case): a false positive only costs the full parse.
const STRUCTURED = /multipart\s*\/|message\s*\/|\battachment\b|\b(?:file)?name\s*\*?=/i;
const NON_TEXT_TYPE = /^content-type[ \t]*:(?![ \t]*(?:\r\n[ \t]+)*text\/(?:plain|html)\b)/im;

/**
 * True when the message is one text/plain or text/html part (or has no Content-Type, which RFC
 * 2045 §5.2 defaults to text/plain) and is not marked as an attachment: no MIME structure below it.
 */
export function isSingleTextPart(block: HeaderBlock): boolean {
  return !STRUCTURED.test(block.text) && !NON_TEXT_TYPE.test(block.text);
}

/** True when the header block carries a DKIM or ARC signature, whose verification reads the body. */
export function hasBodySignatures(block: HeaderBlock): boolean {
  return /^(?:dkim-signature|arc-message-signature|arc-seal)[ \t]*:/im.test(block.text);
}
