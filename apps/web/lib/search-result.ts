/**
 * The answer of GET /api/v1/messages?q= (the mail-api branch's SearchResult: message summaries plus
 * keywords and highlight ranges per field). Parsed here by hand, leniently about `highlights`, so
 * the webmail keeps working while that contract settles: a hit without usable ranges is shown
 * unmarked rather than failing the whole page.
 */
import { MessageSummary } from '@correio/contracts';

export interface Range {
  start: number;
  end: number;
}

export interface SearchHit extends MessageSummary {
  keywords: string[];
  highlights: { subject: Range[]; snippet: Range[]; fromName: Range[]; fromAddress: Range[] };
}

export interface SearchResult {
  items: SearchHit[];
  nextCursor: string | null;
}

function ranges(v: unknown): Range[] {
  if (!Array.isArray(v)) return [];
  return v.filter(
    (r): r is Range => !!r && typeof r === 'object' && Number.isInteger((r as Range).start) && Number.isInteger((r as Range).end),
  );
}

export function parseSearchResult(body: unknown): SearchResult {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { items?: unknown }).items)) {
    throw new Error('search: the answer has no items');
  }
  const b = body as { items: unknown[]; nextCursor?: unknown };
  const items = b.items.map((raw) => {
    const summary = MessageSummary.parse(raw);
    const r = raw as { keywords?: unknown; highlights?: Record<string, unknown> };
    const h = r.highlights ?? {};
    return {
      ...summary,
      keywords: Array.isArray(r.keywords) ? r.keywords.filter((k): k is string => typeof k === 'string') : [],
      highlights: {
        subject: ranges(h.subject),
        snippet: ranges(h.snippet),
        fromName: ranges(h.fromName),
        fromAddress: ranges(h.fromAddress),
      },
    };
  });
  return { items, nextCursor: typeof b.nextCursor === 'string' ? b.nextCursor : null };
}
