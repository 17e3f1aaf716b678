import { collationKey, extractBaseSubject } from './base-subject';
import { parseReferences } from './sort-fields';
import type { ThreadInput, ThreadNode } from './thread-types';

/**
 * THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm): messages are linked by
 * References / In-Reply-To, placeholder containers stand for referenced messages not in the set,
 * roots with the same base subject are gathered, and siblings are ordered by sent date.
 */
interface Container {
  message: ThreadInput | null;
  parent: Container | null;
  children: Container[];
}

// Message IDs compare as octets (RFC 5256 §3: "case-sensitive"); whitespace inside is not part of one.
const ids = parseReferences;

function isAncestor(candidate: Container, of: Container): boolean {
  for (let c: Container | null = of; c !== null; c = c.parent) if (c === candidate) return true;
  return false;
}

function setParent(child: Container, parent: Container | null): void {
  if (child.parent) child.parent.children.splice(child.parent.children.indexOf(child), 1);
  child.parent = parent;
  if (parent) parent.children.push(child);
}

export function threadByReferences(messages: ThreadInput[]): ThreadNode[] {
  const sorted = [...messages].sort((a, b) => a.uid - b.uid);
  const table = new Map<string, Container>();
  const all: Container[] = [];
  const container = (id: string): Container => {
    let c = table.get(id);
    if (!c) {
      c = { message: null, parent: null, children: [] };
      table.set(id, c);
      all.push(c);
    }
    return c;
  };
  for (const message of sorted) {
    // (1) A missing, invalid or duplicate Message-ID gets a unique one (RFC 5256 §3 step 1).
    const own = ids(message.messageId)[0];
    const mc = own !== undefined && !table.get(own)?.message ? container(own) : container(`\0${message.uid}`);
    mc.message = message;
    let refs = ids(message.references.join(' '));
    if (refs.length === 0) refs = ids(message.inReplyTo).slice(0, 1);
    // (1A) each reference is the parent of the next, unless already linked or that makes a loop.
    for (let i = 0; i + 1 < refs.length; i++) {
      const parent = container(refs[i]!);
      const child = container(refs[i + 1]!);
      if (child.parent === null && child !== parent && !isAncestor(child, parent)) setParent(child, parent);
    }
    // (1B) the last reference is this message's parent, replacing any earlier link; no loops.
    const last = refs.length > 0 ? container(refs[refs.length - 1]!) : null;
    if (last === null || (last !== mc && !isAncestor(mc, last))) setParent(mc, last);
  }
  // (2)-(4) the root set, with empty placeholders removed and the others promoted.
  let roots = prune(
    all.filter((c) => c.parent === null),
    true,
  );
  for (const root of roots) if (!root.message) sortSiblings(root.children);
  roots = gatherBySubject(roots);
  // (6) siblings by sent date at every level.
  sortSiblings(roots);
  return roots.map(toNode);
}

function prune(level: Container[], isRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of level) {
    c.children = prune(c.children, false);
    for (const child of c.children) child.parent = c;
    if (c.message) out.push(c);
    else if (c.children.length === 1 || (c.children.length > 1 && !isRoot)) out.push(...c.children);
    else if (c.children.length > 1) out.push(c);
  }
  if (isRoot) for (const c of out) c.parent = null;
  return out;
}

function subjectOf(c: Container): { key: string; isReply: boolean } | null {
  const message = c.message ?? c.children[0]?.message;
  if (!message) return null;
  const { base, isReplyOrForward } = extractBaseSubject(message.subject);
  return base === '' ? null : { key: collationKey(base), isReply: c.message !== null && isReplyOrForward };
}

/** (5) Roots with the same base subject become siblings under a placeholder, or a reply goes under its original. */
function gatherBySubject(roots: Container[]): Container[] {
  const table = new Map<string, Container>();
  const subjects = new Map<Container, { key: string; isReply: boolean }>();
  for (const root of roots) {
    const subject = subjectOf(root);
    if (!subject) continue;
    subjects.set(root, subject);
    const existing = table.get(subject.key);
    const existingIsReply = existing ? subjects.get(existing)!.isReply : false;
    if (!existing || (!root.message && existing.message) || (existingIsReply && !subject.isReply)) table.set(subject.key, root);
  }
  const out: Container[] = [];
  for (const root of roots) {
    if (root.parent !== null) continue; // already put under a later root's placeholder
    const subject = subjects.get(root);
    const entry = subject ? table.get(subject.key) : undefined;
    if (!subject || !entry || entry === root) {
      out.push(root);
    } else if (!entry.message && !root.message) {
      for (const child of [...root.children]) setParent(child, entry);
    } else if (!entry.message || (subject.isReply && !subjects.get(entry)!.isReply)) {
      setParent(root, entry);
    } else {
      const dummy: Container = { message: null, parent: null, children: [] };
      const at = out.indexOf(entry);
      setParent(entry, dummy);
      setParent(root, dummy);
      table.set(subject.key, dummy);
      subjects.set(dummy, { key: subject.key, isReply: false });
      if (at !== -1) out[at] = dummy;
      else out.push(dummy);
    }
  }
  return out;
}

function dateOf(c: Container): number {
  const message = c.message ?? c.children[0]?.message;
  if (!message) return 0;
  return (message.sentDate ?? message.internalDate).getTime();
}

function uidOf(c: Container): number {
  return (c.message ?? c.children[0]?.message)?.uid ?? 0;
}

/** Children first, so a placeholder's date is its earliest child's (RFC 5256 §3 step 6). */
function sortSiblings(level: Container[]): void {
  for (const c of level) sortSiblings(c.children);
  level.sort((a, b) => dateOf(a) - dateOf(b) || uidOf(a) - uidOf(b));
}

function toNode(c: Container): ThreadNode {
  return { uid: c.message ? c.message.uid : null, children: c.children.map(toNode) };
}
