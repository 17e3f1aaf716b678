import type { SearchField, SearchNode } from './ast';

/**
 * What a result should highlight: the positive free-text words and phrases (anywhere), and the
 * values of positive field terms by field. A term under `-` found nothing, so it marks nothing.
 */
export function textTerms(node: SearchNode): { text: string[]; fields: Partial<Record<SearchField, string[]>> } {
  const text: string[] = [];
  const fields: Partial<Record<SearchField, string[]>> = {};
  const walk = (n: SearchNode): void => {
    switch (n.type) {
      case 'and':
      case 'or':
        for (const c of n.children) walk(c);
        return;
      case 'text':
        text.push(n.value);
        return;
      case 'field':
        fields[n.field] = [...(fields[n.field] ?? []), n.value];
        return;
      default:
        return;
    }
  };
  walk(node);
  return { text: [...new Set(text)], fields };
}
