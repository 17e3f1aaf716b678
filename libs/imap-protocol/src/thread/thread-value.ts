import type { ThreadNode } from './thread-types';

/**
 * The THREAD response data (RFC 5256 §4): each thread in parentheses; a chain of single children is
 * a space-separated run ("(1 2 3)"); several children are nested lists ("(3 (4)(5))"); a placeholder
 * root prints no number ("((1)(2))"). `toNumber` maps a UID to what the client asked for (the
 * sequence number for THREAD, the UID itself for UID THREAD).
 */
export function threadValue(threads: ThreadNode[], toNumber: (uid: number) => number = (uid) => uid): string {
  return threads.map((thread) => `(${members(thread, toNumber)})`).join('');
}

function members(node: ThreadNode, toNumber: (uid: number) => number): string {
  const numbers: number[] = [];
  let current = node;
  for (;;) {
    if (current.uid !== null) numbers.push(toNumber(current.uid));
    if (current.children.length !== 1) break;
    current = current.children[0]!;
  }
  const nested = current.children.length > 1 ? current.children.map((child) => `(${members(child, toNumber)})`).join('') : '';
  if (numbers.length === 0) return nested;
  return nested === '' ? numbers.join(' ') : `${numbers.join(' ')} ${nested}`;
}
