/**
 * Splits a multipart body into its parts by byte offsets (RFC 2046 §5.1.1). A delimiter is
 * "--boundary" at the start of a line (or of the body), followed by optional whitespace and a line
 * end; "--boundary--" closes. The line end before a delimiter belongs to the delimiter, so a part
 * ends before it. Preamble and epilogue are dropped. A missing close delimiter ends the last part at
 * the end of the body; bare LF line ends are accepted.
 */

const LF = 10;
const CR = 13;
const DASH = 45;

interface Delimiter {
  lineStart: number;
  afterLine: number;
  isClose: boolean;
}

/** [start, end) of each part; at most maxParts, the last one then running to the end of the body. */
export function findBoundaryParts(raw: Buffer, bodyStart: number, bodyEnd: number, boundary: string, maxParts: number): [number, number][] {
  const view = raw.subarray(0, bodyEnd);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: [number, number][] = [];
  let next = findDelimiter(view, bodyStart, bodyStart, bodyEnd, delimiter);
  if (next === null || next.isClose) return parts;
  while (next !== null && !next.isClose) {
    const start = next.afterLine;
    if (parts.length + 1 >= maxParts) {
      parts.push([start, bodyEnd]);
      break;
    }
    next = findDelimiter(view, start, bodyStart, bodyEnd, delimiter);
    parts.push([start, next === null ? bodyEnd : Math.max(start, lineEndBefore(view, next.lineStart))]);
  }
  return parts;
}

function lineEndBefore(view: Buffer, lineStart: number): number {
  let end = lineStart;
  if (view[end - 1] === LF) end--;
  if (view[end - 1] === CR) end--;
  return end;
}

function findDelimiter(view: Buffer, from: number, bodyStart: number, bodyEnd: number, delimiter: Buffer): Delimiter | null {
  for (let i = view.indexOf(delimiter, from); i !== -1; i = view.indexOf(delimiter, i + 1)) {
    if (i !== bodyStart && view[i - 1] !== LF) continue;
    let j = i + delimiter.length;
    const isClose = view[j] === DASH && view[j + 1] === DASH;
    if (isClose) j += 2;
    while (j < bodyEnd && (view[j] === 32 || view[j] === 9)) j++;
    if (j >= bodyEnd) return { lineStart: i, afterLine: bodyEnd, isClose };
    if (view[j] === CR && view[j + 1] === LF) return { lineStart: i, afterLine: j + 2, isClose };
    if (view[j] === LF) return { lineStart: i, afterLine: j + 1, isClose };
    if (isClose) {
      // Junk after a close delimiter: still the close (what follows is epilogue anyway).
      const lf = view.indexOf(LF, j);
      return { lineStart: i, afterLine: lf === -1 ? bodyEnd : lf + 1, isClose };
    }
    // "--boundaryX": a longer line that only starts with the delimiter, not a delimiter.
  }
  return null;
}
