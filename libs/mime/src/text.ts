/**
 * PostgreSQL text cannot hold NUL and must be valid UTF-8 (DESIGN invariant 7). Everything parsed
 * out of a message passes through here before it is stored; the raw bytes are kept untouched in the
 * blob store, so nothing is lost.
 */
export function cleanText(value: string | undefined | null, maxLength = 10_000): string {
  if (!value) return '';
  // Lone surrogates cannot be encoded as UTF-8; toWellFormed replaces them with U+FFFD.
  const wellFormed = (value as string & { toWellFormed?: () => string }).toWellFormed?.() ?? value;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing NUL is the point
  const noNul = wellFormed.replace(/\u0000/g, '');
  return noNul.length > maxLength ? noNul.slice(0, maxLength) : noNul;
}

/** A one-line preview of a body: whitespace collapsed, quoted reply lines skipped. */
export function makeSnippet(text: string, maxLength = 200): string {
  // The preview comes from the start: splitting a whole 10 MB body into lines is wasted work. Only
  // when the start is all quotes (a long bottom-posted reply) is more of the text read.
  const head = snippetOf(text.slice(0, 8 * 1024), maxLength);
  return head.length >= maxLength || text.length <= 8 * 1024 ? head : snippetOf(text.slice(0, 512 * 1024), maxLength);
}

function snippetOf(text: string, maxLength: number): string {
  // Lines are taken a batch at a time until the preview is full: the preview of the lines read so
  // far is a prefix of the whole text's preview (whitespace runs only collapse, the trim at its
  // end only drops what a later line would have turned into one space), so once it reaches
  // maxLength it is the answer, and a 4 KiB body is not split and cleaned line by line for 200
  // characters (issue 10: a measurable share of the MX's summary).
  const lines: string[] = [];
  let chars = 0;
  let budget = 2 * maxLength + 64;
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 && nl !== -1 ? end - 1 : end);
    start = end + 1;
    if (line.startsWith('>')) continue;
    // Text made from HTML carries link targets and image alts in brackets ("[https://…]", "[x]"):
    // noise in a one-line preview.
    const cleaned = line.replace(/\[(?:https?:|mailto:|cid:)[^\]]*\]/gi, '').replace(/\[[^\]]{0,3}\]/g, '');
    lines.push(cleaned);
    chars += cleaned.length + 1;
    if (chars >= budget && start <= text.length) {
      const preview = previewOf(lines, maxLength);
      if (preview.length >= maxLength) return preview;
      budget *= 2;
    }
  }
  return previewOf(lines, maxLength);
}

function previewOf(lines: string[], maxLength: number): string {
  return cleanText(lines.join(' ').replace(/\s+/g, ' ').trim(), maxLength);
}
