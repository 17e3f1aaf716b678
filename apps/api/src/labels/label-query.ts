import type { SearchNode } from '@correio/search-query';

/** label:<name> terms naming one of the account's labels (case-insensitively) become its keyword. */
export function withLabelKeywords(node: SearchNode, labels: readonly { name: string; keyword: string }[]): SearchNode {
  const byName = new Map(labels.map((l) => [l.name.toLowerCase(), l.keyword]));
  const walk = (n: SearchNode): SearchNode => {
    switch (n.type) {
      case 'and':
      case 'or':
        return { ...n, children: n.children.map(walk) };
      case 'not':
        return { ...n, child: walk(n.child) };
      case 'label': {
        const keyword = byName.get(n.name.toLowerCase());
        return keyword ? { type: 'label', name: keyword } : n;
      }
      default:
        return n;
    }
  };
  return walk(node);
}

/** Whether the query has a label: term at all (no label lookup otherwise). */
export function mentionsLabel(node: SearchNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.some(mentionsLabel);
    case 'not':
      return mentionsLabel(node.child);
    default:
      return node.type === 'label';
  }
}
