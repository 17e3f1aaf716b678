import type { ThreadNode } from './thread-types';

/**
 * The THREAD response data (RFC 5256 §4): each thread in parentheses; a chain of single children is
 * a space-separated run ("(1 2 3)"); several children are nested lists ("(3 (4)(5))"); a placeholder
 * root prints no number ("((1)(2))"). `toNumber` maps a UID to what the client asked for (the
 * sequence number for THREAD, the UID itself for UID THREAD). Iterative: threads can be deep.
 */
export function threadValue(threads: ThreadNode[], toNumber: (uid: number) => number = (uid) => uid): string {
  const parts: string[] = [];
  // Pending output, last item first: a string is written as is, a node as its thread-members.
  const stack: (string | ThreadNode)[] = [];
  const pushLists = (nodes: ThreadNode[]) => {
    for (let i = nodes.length - 1; i >= 0; i--) stack.push(')', nodes[i]!, '(');
  };
  pushLists(threads);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    const numbers: number[] = [];
    let current = item;
    for (;;) {
      if (current.uid !== null) numbers.push(toNumber(current.uid));
      if (current.children.length !== 1) break;
      current = current.children[0]!;
    }
    parts.push(numbers.join(' '));
    if (current.children.length > 1) {
      if (numbers.length > 0) parts.push(' ');
      pushLists(current.children);
    }
  }
  return parts.join('');
}
