const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/**
 * The body of a multi-line response (RFC 1939 §3): every line that starts with "." gets another
 * ".", the content ends with CRLF (added if the stored bytes do not), and ".\r\n" terminates it.
 * The bytes between are exactly the input's: the client removes the stuffing and gets them back.
 */
export function dotStuff(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const atLineStart = i === 0 || data[i - 1] === LF;
    if (atLineStart && data[i] === DOT) {
      parts.push(data.subarray(start, i), Buffer.from('.'));
      start = i;
    }
  }
  parts.push(data.subarray(start));
  const endsWithCrlf = data.length >= 2 && data[data.length - 2] === CR && data[data.length - 1] === LF;
  if (data.length > 0 && !endsWithCrlf) parts.push(Buffer.from('\r\n'));
  parts.push(Buffer.from('.\r\n'));
  return Buffer.concat(parts);
}

/**
 * TOP (RFC 1939 §7): the header section, the empty line, then at most `lines` lines of the body.
 * Without an empty line the whole message is header and is returned whole.
 */
export function topOf(data: Buffer, lines: number): Buffer {
  let pos = 0;
  let bodyStart = -1;
  while (pos < data.length) {
    const nl = data.indexOf(LF, pos);
    const end = nl < 0 ? data.length : nl + 1;
    const lineLen = end - pos - (nl < 0 ? 0 : 1) - (nl > 0 && data[nl - 1] === CR ? 1 : 0);
    pos = end;
    if (lineLen === 0) {
      bodyStart = pos;
      break;
    }
  }
  if (bodyStart < 0) return data;
  let end = bodyStart;
  for (let n = 0; n < lines && end < data.length; n++) {
    const nl = data.indexOf(LF, end);
    end = nl < 0 ? data.length : nl + 1;
  }
  return data.subarray(0, end);
}
