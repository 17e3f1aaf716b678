/**
 * LIST/LSUB patterns (RFC 9051 §6.3.9): "*" matches any run of characters, "%" any run without the
 * hierarchy delimiter "/". The reference is prepended to the pattern. INBOX matches in any case
 * (§5.1: the name INBOX is case-insensitive), other names exactly.
 */
export type NameMatcher = (name: string) => boolean;

export function matcherFor(reference: string, pattern: string): NameMatcher {
  const full = reference + pattern;
  let source = '';
  for (const c of full) {
    if (c === '*') source += '.*';
    else if (c === '%') source += '[^/]*';
    else source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  const re = new RegExp(`^${source}$`, 'su');
  // "INBOX" and its children ("INBOX/x") match a pattern spelled "inbox".
  const inboxRe = /^inbox(\/|$)/i.test(full) ? new RegExp(`^${source}$`, 'siu') : undefined;
  return (name) => re.test(name) || (inboxRe !== undefined && /^INBOX(\/|$)/.test(name) && inboxRe.test(name));
}

/** Every proper ancestor of a name: "a/b/c" → ["a", "a/b"]. */
export function ancestorsOf(name: string): string[] {
  const parts = name.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}
