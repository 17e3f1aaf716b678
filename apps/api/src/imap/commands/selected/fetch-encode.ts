import type { ImapValue } from '@correio/imap-protocol';

/**
 * Wire bytes of response values for the parts of a streamed FETCH response that are not the
 * streamed body (the session's own encoder is only reachable through untaggedValues, which cannot
 * interleave a stream). RFC 9051 §4.3: a string that is not plain printable ASCII, or is long,
 * goes as a literal; everything else quoted.
 */
export function encodeValues(values: readonly ImapValue[]): Buffer {
  const chunks: Buffer[] = [];
  values.forEach((value, i) => {
    if (i > 0) chunks.push(SPACE);
    encodeInto(value, chunks);
  });
  return Buffer.concat(chunks);
}

const SPACE = Buffer.from(' ');

function encodeInto(value: ImapValue, chunks: Buffer[]): void {
  if (value === null) chunks.push(Buffer.from('NIL'));
  else if (typeof value === 'number' || typeof value === 'bigint') chunks.push(Buffer.from(String(value)));
  else if (Array.isArray(value)) {
    chunks.push(Buffer.from('('));
    value.forEach((v, i) => {
      if (i > 0) chunks.push(SPACE);
      encodeInto(v, chunks);
    });
    chunks.push(Buffer.from(')'));
  } else if ('atom' in value) chunks.push(Buffer.from(value.atom));
  else if ('literal' in value) literal(value.literal, value.isBinary === true, chunks);
  else {
    const bytes = typeof value.string === 'string' ? Buffer.from(value.string, 'utf8') : value.string;
    if (bytes.length <= 1024 && isQuotable(bytes)) {
      chunks.push(Buffer.from(`"${bytes.toString('latin1').replace(/[\\"]/g, '\\$&')}"`, 'latin1'));
    } else {
      literal(bytes, false, chunks);
    }
  }
}

function isQuotable(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return false;
  return true;
}

function literal(bytes: Buffer, isBinary: boolean, chunks: Buffer[]): void {
  chunks.push(Buffer.from(`${isBinary ? '~' : ''}{${bytes.length}}\r\n`), bytes);
}
