import { createHash } from 'node:crypto';

/**
 * The IMAP keyword a label is stored as. RFC 9051 §9 (formal syntax):
 *   flag-keyword = "$MDNSent" / "$Forwarded" / "$Junk" / "$NotJunk" / "$Phishing" / atom
 *   atom-char    = <any CHAR except atom-specials>;  CHAR = %x01-7F
 *   atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards ("%" "*") / quoted-specials ('"' "\") / resp-specials ("]")
 * A name that is itself such an atom is used as it is (Thunderbird and other clients then show the
 * label by its name). Other names get `$label_<slug>`: the ASCII letters and digits of the name
 * (accents dropped), lower-cased, other runs as "_". A name starting with "$" or "\" is never used
 * as it is, so a label cannot take over a system flag or a registered keyword ($Junk, $Forwarded…).
 */
const ATOM = /^[\x21-\x7e]+$/;
const ATOM_SPECIALS = /[(){%*"\\\]]/;
const MAX_KEYWORD = 100;

export function isAtom(s: string): boolean {
  return s.length > 0 && s.length <= MAX_KEYWORD && ATOM.test(s) && !ATOM_SPECIALS.test(s);
}

export function slugOf(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);
}

/**
 * The keyword for `name`. `disambiguate`: the first choice is taken by another label of the account
 * (two names with the same slug): a short hash of the name keeps the keyword unique and stable.
 */
export function labelKeyword(name: string, disambiguate = false): string {
  const trimmed = name.trim();
  if (!disambiguate && isAtom(trimmed) && !/^[$\\]/.test(trimmed)) return trimmed;
  const slug = slugOf(trimmed) || 'label';
  if (!disambiguate) return `$label_${slug}`;
  const hash = createHash('sha256').update(trimmed.toLowerCase()).digest('hex').slice(0, 8);
  return `$label_${slug}_${hash}`;
}
