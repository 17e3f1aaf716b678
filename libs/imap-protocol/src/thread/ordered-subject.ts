import { collationKey, baseSubject } from './base-subject';
import type { ThreadInput, ThreadNode } from './thread-types';

/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages grouped by base subject; in each group the earliest
 * (sent date, then mailbox order) is the parent and the rest are its children in date order; the
 * threads are ordered by the date of their first message.
 */
export function threadByOrderedSubject(messages: ThreadInput[]): ThreadNode[] {
  const keyed = messages.map((m) => ({ m, key: collationKey(baseSubject(m.subject)), date: (m.sentDate ?? m.internalDate).getTime() }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.date - b.date || a.m.uid - b.m.uid));
  const threads: { date: number; uid: number; node: ThreadNode }[] = [];
  let current: { key: string; node: ThreadNode } | null = null;
  for (const { m, key, date } of keyed) {
    if (current && current.key === key) {
      current.node.children.push({ uid: m.uid, children: [] });
      continue;
    }
    current = { key, node: { uid: m.uid, children: [] } };
    threads.push({ date, uid: m.uid, node: current.node });
  }
  threads.sort((a, b) => a.date - b.date || a.uid - b.uid);
  return threads.map((t) => t.node);
}
