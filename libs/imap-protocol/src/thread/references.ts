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
  /** Index in parent.children, so a re-link is O(1) (sibling order is decided by the final sort). */
  slot: number;
}

// Message IDs compare as octets (RFC 5256 §3: "case-sensitive"); whitespace inside is not part of one.
const ids = parseReferences;

function isAncestor(candidate: Container, of: Container): boolean {
  // A container without children is nobody's ancestor but its own: the usual case, kept O(1).
  if (candidate.children.length === 0) return candidate === of;
  for (let c: Container | null = of; c !== null; c = c.parent) if (c === candidate) return true;
  return false;
}

/** Every container below the roots, children before parents (no recursion: reply chains can be deep). */
function postOrder(roots: Container[]): Container[] {
  const out: Container[] = [];
  const stack: { c: Container; isExpanded: boolean }[] = roots.map((c) => ({ c, isExpanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.isExpanded) {
      out.push(top.c);
      continue;
    }
    stack.push({ c: top.c, isExpanded: true });
    for (const child of top.c.children) stack.push({ c: child, isExpanded: false });
  }
  return out;
}

function setParent(child: Container, parent: Container | null): void {
  if (child.parent) {
    const siblings = child.parent.children;
    const last = siblings.pop()!;
    if (last !== child) {
      siblings[child.slot] = last;
      last.slot = child.slot;
    }
  }
  child.parent = parent;
  if (parent) {
    child.slot = parent.children.length;
    parent.children.push(child);
  }
}

export function threadByReferences(messages: ThreadInput[]): ThreadNode[] {
  const sorted = [...messages].sort((a, b) => a.uid - b.uid);
  const table = new Map<string, Container>();
  const all: Container[] = [];
  const container = (id: string): Container => {
    let c = table.get(id);
    if (!c) {
      c = { message: null, parent: null, children: [], slot: 0 };
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
  const initialRoots = all.filter((c) => c.parent === null);
  for (const c of postOrder(initialRoots)) c.children = pruneLevel(c, c.children, false);
  let roots = pruneLevel(null, initialRoots, true);
  // A placeholder root takes its subject and date from its first child (by date).
  for (const root of roots) if (!root.message) sortLevel(root.children);
  roots = gatherBySubject(roots);
  // (6) siblings by sent date at every level, children first so a placeholder has its date.
  for (const c of postOrder(roots)) sortLevel(c.children);
  sortLevel(roots);
  return toNodes(roots);
}

/**
 * RFC 5256 §3 step 4 on one level whose children are already pruned: an empty placeholder goes;
 * one with children is replaced by them, except at the root when it has more than one.
 */
function pruneLevel(parent: Container | null, level: Container[], isRoot: boolean): Container[] {
  const out: Container[] = [];
  for (const c of level) {
    if (c.message || (isRoot && c.children.length > 1)) out.push(c);
    else for (const child of c.children) out.push(child);
  }
  out.forEach((c, i) => {
    c.parent = parent;
    c.slot = i;
  });
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
  const position = new Map<Container, number>();
  for (const root of roots) {
    if (root.parent !== null) continue; // already put under a later root's placeholder
    const subject = subjects.get(root);
    const entry = subject ? table.get(subject.key) : undefined;
    if (!subject || !entry || entry === root) {
      position.set(root, out.length);
      out.push(root);
    } else if (!entry.message && !root.message) {
      for (const child of root.children) {
        child.parent = entry;
        child.slot = entry.children.length;
        entry.children.push(child);
      }
      root.children = [];
    } else if (!entry.message || (subject.isReply && !subjects.get(entry)!.isReply)) {
      setParent(root, entry);
    } else {
      const dummy: Container = { message: null, parent: null, children: [], slot: 0 };
      const at = position.get(entry);
      setParent(entry, dummy);
      setParent(root, dummy);
      table.set(subject.key, dummy);
      subjects.set(dummy, { key: subject.key, isReply: false });
      if (at !== undefined) out[at] = dummy;
      else out.push(dummy);
      position.set(dummy, at ?? out.length - 1);
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

function sortLevel(level: Container[]): void {
  level.sort((a, b) => dateOf(a) - dateOf(b) || uidOf(a) - uidOf(b));
}

function toNodes(roots: Container[]): ThreadNode[] {
  const nodes = new Map<Container, ThreadNode>();
  for (const c of postOrder(roots))
    nodes.set(c, { uid: c.message ? c.message.uid : null, children: c.children.map((child) => nodes.get(child)!) });
  return roots.map((root) => nodes.get(root)!);
}
