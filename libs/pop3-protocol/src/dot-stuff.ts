const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

const EXTRA_DOT = Buffer.from('.');
const TERMINATOR = Buffer.from('.\r\n');
const CRLF_TERMINATOR = Buffer.from('\r\n.\r\n');
const LF_DOT = Buffer.from('\n.');

/**
 * dotStuff() as a list of chunks, without copying the message: views into `data` with a "." between
 * them where a line starts with ".", then the CRLF if missing and ".\r\n". Written with one
 * writev (cork/uncork) they put exactly dotStuff(data) on the wire. Lines are found with
 * Buffer.indexOf("\n.") (memchr speed), not byte by byte; a message without such a line is
 * one view of itself plus the terminator. The chunks share constant buffers: never mutate them.
 */
export function dotStuffChunks(data: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let dots = data.length > 0 && data[0] === DOT ? 1 : 0;
  for (let i = data.indexOf(LF_DOT, 0); i >= 0 && dots <= MAX_VIEWS; i = data.indexOf(LF_DOT, i + 2)) dots++;
  if (dots > MAX_VIEWS) {
    // Many lines to stuff (a hostile or odd message): one copy instead of a view per line, so a
    // message of "." lines does not become millions of chunks.
    parts.push(stuffedCopy(data));
  } else {
    let start = 0;
    if (dots > 0 && data[0] === DOT) parts.push(EXTRA_DOT);
    for (let i = dots > 0 ? data.indexOf(LF_DOT, 0) : -1; i >= 0; i = data.indexOf(LF_DOT, i + 2)) {
      // The dot is at i + 1: everything before it as is, then the extra dot; the dot starts the next view.
      parts.push(data.subarray(start, i + 1), EXTRA_DOT);
      start = i + 1;
    }
    if (start < data.length) parts.push(start === 0 ? data : data.subarray(start));
  }
  parts.push(multiLineEnd(data));
  return parts;
}

/** Whether no line of `data` starts with "." (dotStuff then adds only the end of the response). */
export function isDotStuffFree(data: Buffer): boolean {
  return !(data.length > 0 && data[0] === DOT) && data.indexOf(LF_DOT) < 0;
}

/**
 * What follows the (stuffed) bytes of a multi-line response: the CRLF they lack, if they lack it,
 * then ".\r\n" (RFC 1939 §3). Stuffing never changes how the bytes end.
 */
export function multiLineEnd(data: Buffer): Buffer {
  const endsWithCrlf = data.length >= 2 && data[data.length - 2] === CR && data[data.length - 1] === LF;
  return data.length > 0 && !endsWithCrlf ? CRLF_TERMINATOR : TERMINATOR;
}

/** Past this many lines to stuff, dotStuffChunks copies the message once instead. */
const MAX_VIEWS = 256;

function stuffedCopy(data: Buffer): Buffer {
  let dots = data.length > 0 && data[0] === DOT ? 1 : 0;
  for (let i = data.indexOf(LF_DOT, 0); i >= 0; i = data.indexOf(LF_DOT, i + 2)) dots++;
  const out = Buffer.allocUnsafe(data.length + dots);
  let o = 0;
  let start = 0;
  if (data.length > 0 && data[0] === DOT) out[o++] = DOT;
  for (let i = data.indexOf(LF_DOT, 0); i >= 0; i = data.indexOf(LF_DOT, i + 2)) {
    o += data.copy(out, o, start, i + 1);
    out[o++] = DOT;
    start = i + 1;
  }
  data.copy(out, o, start);
  return out;
}

/** The number of bytes dotStuffChunks(data) puts on the wire. */
export function chunksLength(chunks: readonly Buffer[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/**
 * The body of a multi-line response (RFC 1939 §3): every line that starts with "." gets another
 * ".", the content ends with CRLF (added if the stored bytes do not), and ".\r\n" terminates it.
 * The bytes between are exactly the input's: the client removes the stuffing and gets them back.
 */
export function dotStuff(data: Buffer): Buffer {
  return Buffer.concat(dotStuffChunks(data));
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
