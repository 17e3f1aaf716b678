import { scanHeaderBlock } from './header-block';

const CRLF = Buffer.from('\r\n');

/**
 * BODY[HEADER.FIELDS (...)] and BODY[HEADER.FIELDS.NOT (...)] (RFC 9051 §6.4.5): the fields of a
 * header block whose names are (not) in the list, each with its original bytes (folding kept), in
 * message order, then the blank line CRLF that ends a header. Names compare case-insensitively.
 */
export function filterHeaderFields(headerBytes: Buffer, fields: string[], not: boolean): Buffer {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  const block = scanHeaderBlock(headerBytes, 0, headerBytes.length, Number.POSITIVE_INFINITY);
  const chunks: Buffer[] = [];
  for (const field of block.fields) {
    if (wanted.has(field.name) === not) continue;
    chunks.push(headerBytes.subarray(field.start, field.end));
    if (headerBytes[field.end - 1] !== 10) chunks.push(CRLF); // a last field without its line end
  }
  chunks.push(CRLF);
  return Buffer.concat(chunks);
}
