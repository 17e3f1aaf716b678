import type { HighlightRange, SearchHit } from '@correio/contracts';
import { type SearchNode, textTerms } from '@correio/search-query';

/**
 * Where the searched words are in what a result list shows (subject, snippet, sender), as ranges
 * the client wraps in <mark> itself (as text, never as HTML). Case-insensitive, like the search;
 * overlapping matches merge into one range.
 */
export function highlightsFor(
  query: SearchNode,
): (fields: { subject: string; snippet: string; fromName: string; fromAddress: string }) => SearchHit['highlights'] {
  const { text, fields } = textTerms(query);
  const subject = matchers([...text, ...(fields.subject ?? [])]);
  const snippet = matchers(text);
  const from = matchers([...text, ...(fields.from ?? [])]);
  return (f) => ({
    subject: ranges(f.subject, subject),
    snippet: ranges(f.snippet, snippet),
    fromName: ranges(f.fromName, from),
    fromAddress: ranges(f.fromAddress, from),
  });
}

function matchers(terms: string[]): RegExp[] {
  return terms.filter((t) => t.trim() !== '').map((t) => new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'));
}

export function ranges(s: string, patterns: RegExp[]): HighlightRange[] {
  const found: HighlightRange[] = [];
  for (const re of patterns) {
    re.lastIndex = 0;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      found.push({ start: m.index, end: m.index + m[0].length });
      if (m[0].length === 0) re.lastIndex++;
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: HighlightRange[] = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}
