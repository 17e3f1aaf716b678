import { randomBytes, randomUUID } from 'node:crypto';
import { withHeaderSection } from '@correio/mime';
import { rfc5322Date } from './received-header.js';

/** The header section of a raw message (up to the first empty line), as latin1 text. */
export function headerSection(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  return raw.subarray(0, end === -1 ? raw.length : end + 2).toString('latin1');
}

export function hasHeader(raw: Buffer, name: string): boolean {
  return new RegExp(`^${name}[ \\t]*:`, 'im').test(headerSection(raw));
}

/**
 * RFC 6409 §8.2/§8.3: a submission server may add a missing Date and Message-ID. Returns the lines
 * to prepend (empty when both are present).
 */
export function missingSubmissionHeaders(raw: Buffer, hostname: string, now = new Date()): string {
  let out = '';
  if (!hasHeader(raw, 'date')) out += `Date: ${rfc5322Date(now)}\r\n`;
  if (!hasHeader(raw, 'message-id')) out += `Message-ID: <${now.getTime().toString(36)}.${randomBytes(9).toString('base64url')}@${hostname}>\r\n`;
  return out;
}

/**
 * A short random id for Received headers and logs: 48 random bits, the first 12 hex digits of a v4
 * UUID (all random). randomUUID draws from an entropy cache Node fills in batches; randomBytes(6)
 * asked OpenSSL for fresh bytes on every message (~2% of the MX's CPU, issue 10).
 */
export function transactionId(): string {
  const uuid = randomUUID();
  return `${uuid.slice(0, 8)}${uuid.slice(9, 13)}`.toUpperCase();
}

/**
 * Puts header lines (CRLF-terminated) on top of a message. A message that has no header section
 * (body lines only, like the lecture's example) gets the empty line that separates headers from
 * body, or its first body line would be read as a header; its own bytes follow unchanged.
 */
export function prependHeaders(lines: string, raw: Buffer): Buffer {
  const headerless = withHeaderSection(raw) !== raw;
  return Buffer.concat([Buffer.from(lines + (headerless ? '\r\n' : ''), 'utf8'), raw]);
}
