/**
 * Search-result highlighting: a snippet split into plain and matched segments, so React renders
 * the matches as <mark> without any HTML from the server (the snippet stays text, DESIGN
 * invariant 8). The terms come from the server's `highlights` when it sends them, else from the
 * query's free-text words (`termsOfQuery`).
 */
export interface Segment {
  text: string;
  isHit: boolean;
}

/** Operators whose value names no word of the text (is:unread, larger:1M, in:inbox…). */
const NON_TEXT_OPERATORS = new Set(['is', 'has', 'in', 'label', 'before', 'after', 'older', 'newer', 'larger', 'smaller', 'filename']);

/**
 * Free-text words and "quoted phrases" of a Gmail-syntax query, plus values of from:/to:/subject:
 * (those appear in a row too). Negated terms (-word) and OR are not highlighted.
 */
export function termsOfQuery(query: string): string[] {
  const out: string[] = [];
  const re = /(-?)(?:([a-z]+):)?(?:"([^"]*)"|(\S+))/gi;
  for (const m of query.matchAll(re)) {
    const [, neg, op, phrase, word] = m;
    if (neg) continue;
    const value = (phrase ?? word ?? '').trim();
    if (!value || (!op && value === 'OR')) continue;
    if (op && NON_TEXT_OPERATORS.has(op.toLowerCase())) continue;
    out.push(value);
  }
  return out;
}

/** Case-insensitive; overlapping or touching matches merge; longer terms win at the same place. */
export function highlightSegments(text: string, terms: readonly string[]): Segment[] {
  const wanted = [...new Set(terms.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];
  if (wanted.length === 0 || text.length === 0) return text ? [{ text, isHit: false }] : [];
  const lower = text.toLowerCase();
  const ranges: [number, number][] = [];
  for (const term of wanted) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      ranges.push([at, at + term.length]);
    }
  }
  if (ranges.length === 0) return [{ text, isHit: false }];
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out: Segment[] = [];
  let pos = 0;
  for (const [start, end] of merged) {
    if (start > pos) out.push({ text: text.slice(pos, start), isHit: false });
    out.push({ text: text.slice(start, end), isHit: true });
    pos = end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), isHit: false });
  return out;
}

/**
 * The server's highlight ranges ([start, end) in UTF-16 units, GET /messages?q=) as segments.
 * Ranges out of bounds are clipped; overlapping ones merge; unsorted input is fine.
 */
export function segmentsFromRanges(text: string, ranges: readonly { start: number; end: number }[]): Segment[] {
  const clipped = ranges
    .map((r) => [Math.max(0, Math.min(text.length, r.start)), Math.max(0, Math.min(text.length, r.end))] as [number, number])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const out: Segment[] = [];
  let pos = 0;
  for (const [s, e] of clipped) {
    const start = Math.max(s, pos);
    if (e <= start) continue;
    if (start > pos) out.push({ text: text.slice(pos, start), isHit: false });
    const last = out[out.length - 1];
    if (last?.isHit && start === pos) last.text += text.slice(start, e);
    else out.push({ text: text.slice(start, e), isHit: true });
    pos = e;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), isHit: false });
  return out;
}
