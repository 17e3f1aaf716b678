/**
 * IMAP flags ↔ the messages row: system flags are boolean columns (cheap unread counts, shared
 * with the webmail and POP3), everything else is a keyword in messages.keywords.
 */

export interface FlagState {
  seen: boolean;
  answered: boolean;
  flagged: boolean;
  deleted: boolean;
  draft: boolean;
  keywords: string[];
}

const SYSTEM: [keyof Omit<FlagState, 'keywords'>, string][] = [
  ['seen', '\\Seen'],
  ['answered', '\\Answered'],
  ['flagged', '\\Flagged'],
  ['deleted', '\\Deleted'],
  ['draft', '\\Draft'],
];

/** Flags as IMAP spells them, system flags first. */
export function flagsOf(s: FlagState): string[] {
  const out: string[] = [];
  for (const [col, name] of SYSTEM) if (s[col]) out.push(name);
  return out.concat(s.keywords);
}

/**
 * Splits a flag list into system flags and keywords. \Recent cannot be set by a client (RFC 3501
 * §2.3.2) and IMAP4rev2 dropped it: ignored. Keywords are case-insensitive (RFC 9051 §2.3.2): the
 * first spelling of each is kept.
 */
export function parseFlags(flags: string[]): { system: Set<keyof Omit<FlagState, 'keywords'>>; keywords: string[] } {
  const system = new Set<keyof Omit<FlagState, 'keywords'>>();
  const keywords: string[] = [];
  const seen = new Set<string>();
  for (const f of flags) {
    const known = SYSTEM.find(([, name]) => name.toLowerCase() === f.toLowerCase());
    if (known) system.add(known[0]);
    else if (f.toLowerCase() !== '\\recent' && !seen.has(f.toLowerCase())) {
      seen.add(f.toLowerCase());
      keywords.push(f);
    }
  }
  return { system, keywords };
}

/** The state after STORE FLAGS / +FLAGS / -FLAGS (RFC 9051 §6.4.6). */
export function applyFlags(s: FlagState, op: 'replace' | 'add' | 'remove', flags: ReturnType<typeof parseFlags>): FlagState {
  const next: FlagState = { ...s, keywords: [...s.keywords] };
  for (const [col] of SYSTEM) {
    const named = flags.system.has(col);
    if (op === 'replace') next[col] = named;
    else if (named) next[col] = op === 'add';
  }
  const lower = (k: string) => k.toLowerCase();
  if (op === 'replace') {
    next.keywords = [...flags.keywords];
  } else if (op === 'add') {
    for (const k of flags.keywords) if (!next.keywords.some((x) => lower(x) === lower(k))) next.keywords.push(k);
  } else {
    next.keywords = next.keywords.filter((x) => !flags.keywords.some((k) => lower(k) === lower(x)));
  }
  return next;
}

export function sameFlags(a: FlagState, b: FlagState): boolean {
  if (SYSTEM.some(([col]) => a[col] !== b[col]) || a.keywords.length !== b.keywords.length) return false;
  return a.keywords.every((k) => b.keywords.some((x) => x.toLowerCase() === k.toLowerCase()));
}
