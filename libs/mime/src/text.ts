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
  // Text made from HTML carries link targets and image alts in brackets ("[https://…]", "[x]"):
  // noise in a one-line preview.
  const lines = text
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('>'))
    .map((l) => l.replace(/\[(?:https?:|mailto:|cid:)[^\]]*\]/gi, '').replace(/\[[^\]]{0,3}\]/g, ''));
  return cleanText(lines.join(' ').replace(/\s+/g, ' ').trim(), maxLength);
}
