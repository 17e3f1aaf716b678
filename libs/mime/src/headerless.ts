/**
 * RFC 5322 §2.1: a message is header fields, then an empty line, then the body. Plenty of real
 * senders (the lecture's SMTP example among them) send only body lines. A parser would read those
 * lines as malformed headers and show an empty message, so for parsing only we add the missing
 * empty line in front; the stored bytes are never changed.
 */
const FIELD_START = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/; // field-name = printable ASCII except ":"

export function withHeaderSection(raw: Buffer): Buffer {
  if (raw.length === 0) return raw;
  const firstByte = raw[0];
  if (firstByte === 0x0d || firstByte === 0x0a) return raw; // already starts with the empty line
  const end = raw.indexOf(0x0a);
  const firstLine = raw.subarray(0, end === -1 ? Math.min(raw.length, 1000) : Math.min(end, 1000)).toString('latin1');
  if (FIELD_START.test(firstLine) || firstLine.startsWith('From ')) return raw;
  return Buffer.concat([Buffer.from('\r\n'), raw]);
}
