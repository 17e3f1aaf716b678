/**
 * Sieve lexical structure (RFC 5228 §2): identifiers, tags, quoted and multi-line strings,
 * numbers with K/M/G quantifiers, comments. Every token keeps its line for error messages.
 */
export type Token =
  | { type: 'ident'; value: string; line: number }
  | { type: 'tag'; value: string; line: number }
  | { type: 'string'; value: string; line: number }
  | { type: 'number'; value: number; line: number }
  | { type: 'punct'; value: '[' | ']' | '(' | ')' | '{' | '}' | ';' | ','; line: number };

export class SieveError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Longest script accepted: a filter set from the forms is a few KiB. */
export const MAX_SCRIPT_BYTES = 64 * 1024;

export interface Lexed {
  tokens: Token[];
  /** "# rule: Name" comments (what export writes before each filter), by line. */
  ruleNames: Map<number, string>;
}

export function lexSieve(script: string): Lexed {
  if (Buffer.byteLength(script) > MAX_SCRIPT_BYTES) throw new SieveError(1, `script is over ${MAX_SCRIPT_BYTES} bytes`);
  const tokens: Token[] = [];
  const ruleNames = new Map<number, string>();
  let line = 1;
  let i = 0;
  const s = script;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      const end = s.indexOf('\n', i);
      const text = s.slice(i, end < 0 ? s.length : end).replace(/\r$/, '');
      const m = /^#\s*rule:\s?(.*)$/.exec(text);
      if (m) ruleNames.set(line, m[1]!.trim());
      i = end < 0 ? s.length : end;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) throw new SieveError(line, 'unterminated comment');
      line += count(s.slice(i, end), '\n');
      i = end + 2;
    } else if (c === '"') {
      const start = line;
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new SieveError(start, 'unterminated string');
        const d = s[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < s.length) {
          // RFC 5228 §2.4.2: "\" escapes the next character (only \\ and \" mean anything).
          v += s[i + 1];
          if (s[i + 1] === '\n') line++;
          i += 2;
          continue;
        }
        if (d === '\n') line++;
        v += d;
        i++;
      }
      i++;
      tokens.push({ type: 'string', value: v.replace(/\r?\n/g, '\r\n'), line: start });
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < s.length && /[0-9]/.test(s[j]!)) j++;
      let n = Number(s.slice(i, j));
      const q = s[j]?.toUpperCase();
      // RFC 5228 §2.4.1: K, M and G multiply by 2^10, 2^20 and 2^30.
      if (q === 'K' || q === 'M' || q === 'G') {
        n *= q === 'K' ? 1024 : q === 'M' ? 1024 ** 2 : 1024 ** 3;
        j++;
      }
      tokens.push({ type: 'number', value: n, line });
      i = j;
    } else if (c === ':' || /[A-Za-z_]/.test(c)) {
      let j = c === ':' ? i + 1 : i;
      while (j < s.length && /[A-Za-z0-9_]/.test(s[j]!)) j++;
      const word = s.slice(c === ':' ? i + 1 : i, j);
      if (!word) throw new SieveError(line, 'expected a tag name after ":"');
      if (c !== ':' && word.toLowerCase() === 'text' && s[j] === ':') {
        const r = readMultiline(s, j + 1, line);
        tokens.push({ type: 'string', value: r.value, line });
        line = r.line;
        i = r.next;
        continue;
      }
      tokens.push({ type: c === ':' ? 'tag' : 'ident', value: word.toLowerCase(), line });
      i = j;
    } else if ('[](){};,'.includes(c)) {
      tokens.push({ type: 'punct', value: c as '[', line });
      i++;
    } else {
      throw new SieveError(line, `unexpected character "${c}"`);
    }
  }
  return { tokens, ruleNames };
}

/** text: … CRLF "." CRLF (RFC 5228 §2.4.2), dot-stuffed lines unstuffed. */
function readMultiline(s: string, from: number, line: number): { value: string; line: number; next: number } {
  let i = s.indexOf('\n', from);
  if (i < 0) throw new SieveError(line, 'unterminated text: block');
  line++;
  i++;
  const lines: string[] = [];
  for (;;) {
    const end = s.indexOf('\n', i);
    if (end < 0) throw new SieveError(line, 'unterminated text: block (no "." line)');
    const l = s.slice(i, end).replace(/\r$/, '');
    i = end + 1;
    line++;
    if (l === '.') break;
    lines.push(l.startsWith('..') ? l.slice(1) : l);
  }
  return { value: lines.map((l) => `${l}\r\n`).join(''), line, next: i };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
