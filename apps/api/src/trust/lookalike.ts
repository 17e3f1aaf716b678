import { domainToUnicode } from 'node:url';
import { CONFUSABLE, CONFUSABLE_PAIRS } from './confusables.js';

/**
 * Does a sender's domain merely look like a known one? Pure (no I/O). A domain that is known, or a
 * subdomain of a known one, is fine. Otherwise it "resembles" a known domain when
 *  - their skeletons are equal (IDN homographs such as pаypal.com with a Cyrillic а, xn--pypal-4ve.com;
 *    digit swaps paypa1.com; rn/m), UTS #39 §4's idea with a small table (confusables.ts), or
 *  - they are one edit apart (insert, delete, substitute, swap two neighbours: Damerau–Levenshtein)
 *    and the known one's name before its top-level domain has at least 5 characters (short names are
 *    too often one edit from another real one: ifsc.edu / ufsc.edu), or
 *  - the known domain is spelled at the start of a longer one (paypal.com.account-check.net).
 */
export function findLookalike(domain: string, known: Iterable<string>): { domain: string; resembles: string } | undefined {
  const d = normalizeDomain(domain);
  if (!d) return undefined;
  const candidates = [...new Set([...known].map(normalizeDomain).filter((k) => k.length > 0))];
  if (candidates.some((k) => d === k || d.endsWith(`.${k}`))) return undefined;
  const skel = skeleton(d);
  for (const k of candidates) {
    if (skeleton(k) === skel) return { domain: d, resembles: k };
  }
  for (const k of candidates) {
    if (nameLength(k) >= 5 && withinOneEdit(d, k)) return { domain: d, resembles: k };
  }
  for (const k of candidates) {
    if (k.includes('.') && d.startsWith(`${k}.`)) return { domain: d, resembles: k };
  }
  return undefined;
}

/** Lower-case Unicode form (punycode labels decoded), no trailing dot; '' for nothing usable. */
export function normalizeDomain(raw: string): string {
  const trimmed = raw.trim().toLowerCase().replace(/\.$/, '');
  if (!trimmed || trimmed.length > 253) return '';
  const unicode = trimmed.split('.').some((l) => l.startsWith('xn--')) ? domainToUnicode(trimmed) : trimmed;
  return (unicode || trimmed).toLowerCase();
}

/** The Latin look of a domain: accents dropped, confusable letters and digits mapped, rn → m. */
export function skeleton(domain: string): string {
  let s = '';
  for (const ch of domain.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')) s += CONFUSABLE[ch] ?? ch;
  for (const [pair, one] of CONFUSABLE_PAIRS) s = s.split(pair).join(one);
  return s.replace(/[-_]/g, '');
}

function nameLength(domain: string): number {
  const labels = domain.split('.');
  return labels.length > 1 ? labels.slice(0, -1).join('.').length : domain.length;
}

/** Damerau–Levenshtein distance ≤ 1 (optimal string alignment), without building a matrix. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [Array.from(a), Array.from(b)];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (p: number, q: number) => x.slice(p).join('') === y.slice(q).join('');
  if (x.length === y.length) return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
}
