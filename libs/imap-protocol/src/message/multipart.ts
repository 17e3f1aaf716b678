/**
 * Splits a multipart body into its parts by byte offsets (RFC 2046 §5.1.1). A delimiter is a line
 * that starts with "--boundary" (or the body does); "--boundary--" closes. The line end before a
 * delimiter belongs to the delimiter, so a part ends before it. Preamble and epilogue are dropped.
 * A missing close delimiter ends the last part at the end of the body; bare LF line ends are accepted.
 *
 * RFC 2046's note to implementors: the boundary need only START the line ("it is sufficient that the
 * boundary appear in its entirety following the CRLF"). Like Dovecot, which takes the longest
 * boundary in effect, a line whose longer token is the boundary a nested multipart declares
 * ("--abc-2" inside "abc") belongs to that multipart, not to this one.
 */

const LF = 10;
const CR = 13;
const DASH = 45;

interface Delimiter {
  lineStart: number;
  afterLine: number;
  isClose: boolean;
}

interface Scan {
  view: Buffer;
  bodyStart: number;
  bodyEnd: number;
  delimiter: Buffer;
  /** Boundaries declared in this body (nested multiparts), read on first need. */
  declared?: Set<string>;
}

/** [start, end) of each part; at most maxParts, the last one then running to the end of the body. */
export function findBoundaryParts(raw: Buffer, bodyStart: number, bodyEnd: number, boundary: string, maxParts: number): [number, number][] {
  const scan: Scan = {
    view: raw.subarray(0, bodyEnd),
    bodyStart,
    bodyEnd,
    delimiter: Buffer.from(`--${boundary}`, 'latin1'),
  };
  const parts: [number, number][] = [];
  let next = findDelimiter(scan, bodyStart);
  if (next === null || next.isClose) return parts;
  while (next !== null && !next.isClose) {
    const start = next.afterLine;
    if (parts.length + 1 >= maxParts) {
      parts.push([start, bodyEnd]);
      break;
    }
    next = findDelimiter(scan, start);
    parts.push([start, next === null ? bodyEnd : Math.max(start, lineEndBefore(scan.view, next.lineStart))]);
  }
  return parts;
}

function lineEndBefore(view: Buffer, lineStart: number): number {
  let end = lineStart;
  if (view[end - 1] === LF) end--;
  if (view[end - 1] === CR) end--;
  return end;
}

function findDelimiter(scan: Scan, from: number): Delimiter | null {
  const { view, bodyStart, bodyEnd, delimiter } = scan;
  for (let i = view.indexOf(delimiter, from); i !== -1; i = view.indexOf(delimiter, i + 1)) {
    if (i !== bodyStart && view[i - 1] !== LF) continue;
    let j = i + delimiter.length;
    const isClose = view[j] === DASH && view[j + 1] === DASH;
    if (isClose) j += 2;
    while (j < bodyEnd && (view[j] === 32 || view[j] === 9)) j++;
    if (j >= bodyEnd) return { lineStart: i, afterLine: bodyEnd, isClose };
    if (view[j] === CR && view[j + 1] === LF) return { lineStart: i, afterLine: j + 2, isClose };
    if (view[j] === LF) return { lineStart: i, afterLine: j + 1, isClose };
    // The boundary starts a longer line: a delimiter with trailing junk, unless the longer token is
    // a nested multipart's own boundary.
    if (!isClose && isNestedBoundary(scan, i + 2)) continue;
    const lf = view.indexOf(LF, j);
    return { lineStart: i, afterLine: lf === -1 ? bodyEnd : lf + 1, isClose };
  }
  return null;
}

/** Whether the token at `at` (up to whitespace, a trailing "--" removed) is a boundary declared in this body. */
function isNestedBoundary(scan: Scan, at: number): boolean {
  const { view, bodyEnd } = scan;
  let end = at;
  while (end < bodyEnd && view[end]! > 32) end++;
  let token = view.toString('latin1', at, end);
  if (token.endsWith('--')) token = token.slice(0, -2);
  if (token.length <= scan.delimiter.length - 2) return false; // our own boundary, then junk after whitespace
  scan.declared ??= declaredBoundaries(scan);
  return scan.declared.has(token);
}

const NEEDLES = [Buffer.from('oundary'), Buffer.from('OUNDARY')];

/**
 * The boundary parameters declared anywhere in this body (nested multiparts' Content-Type headers),
 * found in one pass and only when a line needs it, so hostile lines cannot make it quadratic.
 */
function declaredBoundaries(scan: Scan): Set<string> {
  const { view, bodyStart, bodyEnd } = scan;
  const found = new Set<string>();
  for (const needle of NEEDLES) {
    for (let k = view.indexOf(needle, bodyStart); k !== -1; k = view.indexOf(needle, k + needle.length)) {
      let j = k + needle.length;
      while (view[j] === 32 || view[j] === 9) j++;
      if (view[j] !== 61) continue; // "="
      j++;
      while (view[j] === 32 || view[j] === 9) j++;
      const isQuoted = view[j] === 34;
      if (isQuoted) j++;
      let end = j;
      while (end < bodyEnd && (isQuoted ? view[end] !== 34 : view[end]! > 32 && view[end] !== 59)) end++;
      if (end > j && end - j <= 200) found.add(view.toString('latin1', j, end));
    }
  }
  return found;
}
