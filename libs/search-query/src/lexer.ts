import { SEARCH_LIMITS } from './limits';

/**
 * Tokens of a query. `word` is a bare run of characters (it may hold an operator: "from:ana");
 * `phrase` is a double-quoted string; `op:value` forms with a quoted value ("subject:"a b"") are
 * one `word` whose value part is marked quoted.
 */
export type Token =
  | { kind: 'word'; text: string; start: number; quotedValue?: { value: string } }
  | { kind: 'phrase'; text: string; start: number }
  | { kind: 'lparen'; start: number }
  | { kind: 'rparen'; start: number }
  | { kind: 'minus'; start: number }
  | { kind: 'end'; start: number };

export class LexError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const SPACE = /\s/;
// Characters that end a bare word: whitespace, parentheses and the double quote.
const isBreak = (c: string) => SPACE.test(c) || c === '(' || c === ')' || c === '"';

/** Splits a query into tokens; an unterminated quote is an error at the quote. */
export function tokenize(query: string): Token[] {
  if (query.length > SEARCH_LIMITS.maxQueryLength) {
    throw new LexError(`query longer than ${SEARCH_LIMITS.maxQueryLength} characters`, SEARCH_LIMITS.maxQueryLength);
  }
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = (at: number): { value: string; next: number } => {
    const close = query.indexOf('"', at + 1);
    if (close === -1) throw new LexError('unterminated quote', at);
    return { value: query.slice(at + 1, close), next: close + 1 };
  };
  while (i < query.length) {
    const c = query[i]!;
    if (SPACE.test(c)) {
      i++;
    } else if (c === '(') {
      tokens.push({ kind: 'lparen', start: i++ });
    } else if (c === ')') {
      tokens.push({ kind: 'rparen', start: i++ });
    } else if (c === '"') {
      const { value, next } = readQuoted(i);
      tokens.push({ kind: 'phrase', text: value, start: i });
      i = next;
    } else if (c === '-' && i + 1 < query.length && !SPACE.test(query[i + 1]!) && (i === 0 || isBreak(query[i - 1]!))) {
      // Gmail: "-" right before a term negates it; a lone "-" or one inside a word ("e-mail") is text.
      tokens.push({ kind: 'minus', start: i++ });
    } else {
      const start = i;
      while (i < query.length && !isBreak(query[i]!)) i++;
      const text = query.slice(start, i);
      // op:"quoted value" — the quote belongs to the operator.
      if (text.endsWith(':') && query[i] === '"') {
        const { value, next } = readQuoted(i);
        tokens.push({ kind: 'word', text, start, quotedValue: { value } });
        i = next;
      } else {
        tokens.push({ kind: 'word', text, start });
      }
    }
  }
  tokens.push({ kind: 'end', start: query.length });
  return tokens;
}
