import type { EnvelopeAddress } from '../message-types';

/**
 * RFC 5322 §3.4 address lists, for ENVELOPE (RFC 9051 §7.5.2): mailboxes ("Name <a@b>", "a@b (Name)"),
 * groups ("team: a@b, c@d;" → a start marker, the members, an end marker), obsolete routes
 * ("<@relay:a@b>" → addr-adl). Lenient: whatever real mail carries becomes some address, never an
 * error. Display names are kept as sent (RFC 2047 encoded words stay encoded: clients decode them,
 * as they do with Dovecot), only quoting is undone.
 */

/** UW-IMAP's markers for an address without a host, so it is not taken for a group marker (host NIL). */
export const MISSING_HOST = '.MISSING-HOST-NAME.';

type Token = { kind: 'atom' | 'quoted' | 'comment' | 'literal'; text: string } | { kind: 'special'; text: string };

const SPECIALS = '<>@,;:.';

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '"') {
      let text = '';
      for (i++; i < input.length && input[i] !== '"'; i++) text += input[i] === '\\' && i + 1 < input.length ? input[++i] : input[i];
      tokens.push({ kind: 'quoted', text });
      i++;
    } else if (c === '(') {
      let text = '';
      let depth = 1;
      for (i++; i < input.length && depth > 0; i++) {
        const d = input[i]!;
        if (d === '\\' && i + 1 < input.length) text += input[++i];
        else if (d === ')' && --depth === 0) {
          i++;
          break;
        } else {
          if (d === '(') depth++;
          text += d;
        }
      }
      tokens.push({ kind: 'comment', text: text.trim() });
    } else if (c === '[') {
      const close = input.indexOf(']', i);
      const end = close === -1 ? input.length : close + 1;
      tokens.push({ kind: 'literal', text: input.slice(i, end) });
      i = end;
    } else if (SPECIALS.includes(c)) {
      tokens.push({ kind: 'special', text: c });
      i++;
    } else {
      let j = i;
      while (j < input.length && !' \t\r\n"()[<>@,;:'.includes(input[j]!)) j++;
      if (j === i) j++; // a stray ")": one character, so the scan always moves on
      // Dots inside atoms stay in the atom ("john.doe"), which also covers obs-phrase "J. Doe".
      tokens.push({ kind: 'atom', text: input.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/** The envelope form of an address header's value; null when it holds no address (RFC 9051: NIL). */
export function parseAddressList(value: string): EnvelopeAddress[] | null {
  const tokens = tokenize(value);
  const out: EnvelopeAddress[] = [];
  let current: Token[] = [];
  let hasAt = false; // "@" in current: a ':' after it is a route or junk, not a group name's end
  let inAngle = false;
  let inGroup = false;
  for (const token of tokens) {
    if (token.kind === 'special') {
      if (token.text === '<') inAngle = true;
      else if (token.text === '>') inAngle = false;
      else if (!inAngle && token.text === ',') {
        pushMailbox(out, current);
        current = [];
        hasAt = false;
        continue;
      } else if (!inAngle && token.text === ':' && !inGroup && !hasAt) {
        out.push({ name: null, adl: null, mailbox: phrase(current) ?? '', host: null });
        inGroup = true;
        current = [];
        hasAt = false;
        continue;
      } else if (!inAngle && token.text === ';' && inGroup) {
        pushMailbox(out, current);
        out.push({ name: null, adl: null, mailbox: null, host: null });
        inGroup = false;
        current = [];
        hasAt = false;
        continue;
      }
    }
    if (token.kind === 'special' && token.text === '@') hasAt = true;
    current.push(token);
  }
  pushMailbox(out, current);
  if (inGroup) out.push({ name: null, adl: null, mailbox: null, host: null });
  return out.length > 0 ? out : null;
}

function pushMailbox(out: EnvelopeAddress[], tokens: Token[]): void {
  if (tokens.length === 0) return;
  const open = tokens.findIndex((t) => t.kind === 'special' && t.text === '<');
  let name: string | null;
  let spec: Token[];
  if (open !== -1) {
    name = phrase(tokens.slice(0, open));
    const close = tokens.findIndex((t, i) => i > open && t.kind === 'special' && t.text === '>');
    spec = tokens.slice(open + 1, close === -1 ? undefined : close);
  } else {
    name = null;
    spec = tokens;
  }
  if (name === null) {
    // "a@b (Name)": the comment is the only name the sender gave (as Dovecot and UW-IMAP read it).
    const comment = tokens.filter((t) => t.kind === 'comment' && t.text !== '').pop();
    if (comment) name = comment.text;
  }
  let adl: string | null = null;
  const colon = spec.findIndex((t) => t.kind === 'special' && t.text === ':');
  if (colon !== -1 && spec[0]?.text === '@') {
    adl = spec
      .slice(0, colon)
      .filter((t) => t.kind !== 'comment')
      .map((t) => t.text)
      .join('');
    spec = spec.slice(colon + 1);
  }
  spec = spec.filter((t) => t.kind !== 'comment');
  const at = spec.map((t) => t.text).lastIndexOf('@');
  const local = (at === -1 ? spec : spec.slice(0, at)).map((t) => t.text).join('');
  const host =
    at === -1
      ? ''
      : spec
          .slice(at + 1)
          .map((t) => t.text)
          .join('');
  if (local === '' && host === '') return; // only a phrase or a comment: no address to show
  out.push({ name, adl, mailbox: local, host: host === '' ? MISSING_HOST : host });
}

/** A display-name: words joined by one space, quotes undone; null when empty. */
function phrase(tokens: Token[]): string | null {
  const words = tokens
    .filter((t) => t.kind === 'atom' || t.kind === 'quoted' || (t.kind === 'special' && t.text === '.'))
    .map((t) => t.text);
  const text = words.join(' ').replace(/ \. /g, '. ').trim();
  return text === '' ? null : text;
}
