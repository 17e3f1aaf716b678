/**
 * Recipient text → addresses, for the compose window's chips. Pure: no React, no network.
 *
 * Splitting follows RFC 5322 §3.4 loosely: commas (and, as people type them, semicolons) separate
 * addresses except inside a quoted display name or an angle-bracketed address.
 */

export interface Recipient {
  name?: string;
  address: string;
}

export interface RecipientChip extends Recipient {
  isValid: boolean;
}

/**
 * The same shape the API's zod `.email()` accepts (zod 4's default pattern), so an address the
 * chips show as valid is never refused by the server for its syntax.
 */
const EMAIL = /^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-.]*)[A-Za-z0-9_+-]@([A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

export function isValidAddress(address: string): boolean {
  return address.length <= 320 && EMAIL.test(address);
}

/** Splits at , and ; that are outside "quotes" and <brackets>. Empty pieces are dropped. */
export function splitAddressList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && inQuote && i + 1 < text.length) {
      current += ch + text[++i];
      continue;
    }
    if (ch === '"' && !inAngle) inQuote = !inQuote;
    else if (ch === '<' && !inQuote) inAngle = true;
    else if (ch === '>' && !inQuote) inAngle = false;
    if ((ch === ',' || ch === ';' || ch === '\n') && !inQuote && !inAngle) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function unquote(name: string): string {
  const t = name.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1).replace(/\\(.)/g, '$1').trim();
  return t;
}

/** One piece: `Bob <b@y.org>`, `"Doe, J" <j@d.org>`, `<a@x.org>` or `a@x.org` (mailto: tolerated). */
export function parseRecipient(piece: string): RecipientChip {
  const text = piece.trim();
  const angle = /^(.*)<([^<>]*)>\s*$/.exec(text);
  const rawAddress = (angle ? (angle[2] ?? '') : text).trim().replace(/^mailto:/i, '');
  const name = angle ? unquote(angle[1] ?? '') : '';
  const chip: RecipientChip = { address: rawAddress, isValid: isValidAddress(rawAddress) };
  if (name && name !== rawAddress) chip.name = name;
  return chip;
}

export function parseAddressList(text: string): RecipientChip[] {
  return splitAddressList(text).map(parseRecipient);
}

/** Adds chips that are not there yet (addresses compare case-insensitively). */
export function addRecipients(existing: readonly RecipientChip[], added: readonly RecipientChip[]): RecipientChip[] {
  const seen = new Set(existing.map((r) => r.address.toLowerCase()));
  const out = [...existing];
  for (const r of added) {
    const key = r.address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

export function toChip(r: Recipient): RecipientChip {
  const chip: RecipientChip = { address: r.address, isValid: isValidAddress(r.address) };
  if (r.name?.trim()) chip.name = r.name.trim();
  return chip;
}

/** What goes over the wire: `{ name?, address }` without the validity flag. */
export function toWire(list: readonly RecipientChip[]): Recipient[] {
  return list.map((r) => (r.name ? { name: r.name, address: r.address } : { address: r.address }));
}

export function invalidAddresses(...lists: (readonly RecipientChip[])[]): string[] {
  return lists
    .flat()
    .filter((r) => !r.isValid)
    .map((r) => r.address);
}
