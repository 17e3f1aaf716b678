import type { ParseResult, SearchNode } from './ast';
import { LexError, type Token, tokenize } from './lexer';
import { SEARCH_LIMITS } from './limits';
import { operatorLeaf } from './operators';

/**
 * Parses the webmail's search syntax (Gmail's): terms side by side must all match; `OR` (upper
 * case, as Gmail requires) between two terms matches either, and binds tighter than the implicit
 * AND, as in Gmail ("from:amy OR from:david subject:dinner" is (from:amy OR from:david) AND
 * subject:dinner); `-` negates the term it precedes; parentheses group; "quotes" make a phrase.
 * An empty query is an empty `and` (everything). Malformed input is an error with its position.
 *
 *   query := and
 *   and   := or*            (the word AND between terms is allowed and means nothing more)
 *   or    := unary ("OR" unary)*
 *   unary := "-" unary | "(" and ")" | term
 */
export function parseSearchQuery(query: string): ParseResult {
  try {
    return { ok: true, query: new Parser(tokenize(query)).parseQuery() };
  } catch (err) {
    if (err instanceof LexError) return { ok: false, error: { message: err.message, position: err.position } };
    throw err;
  }
}

const isKeyword = (t: Token, word: 'OR' | 'AND') => t.kind === 'word' && t.text === word && !t.quotedValue;

class Parser {
  private at = 0;
  private terms = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): SearchNode {
    const node = this.parseAnd(0);
    const next = this.peek();
    if (next.kind === 'rparen') throw new LexError('")" without a matching "("', next.start);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    return this.tokens[this.at++]!;
  }

  private parseAnd(depth: number): SearchNode {
    const children: SearchNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'end' || t.kind === 'rparen') break;
      if (isKeyword(t, 'AND')) {
        this.next();
        if (children.length === 0 || this.startsTerm(this.peek()) === false) throw new LexError('AND needs a term on each side', t.start);
        continue;
      }
      children.push(this.parseOr(depth));
    }
    return children.length === 1 ? children[0]! : { type: 'and', children };
  }

  private startsTerm(t: Token): boolean {
    return t.kind !== 'end' && t.kind !== 'rparen' && !isKeyword(t, 'OR') && !isKeyword(t, 'AND');
  }

  private parseOr(depth: number): SearchNode {
    const children = [this.parseUnary(depth)];
    while (isKeyword(this.peek(), 'OR')) {
      const or = this.next();
      if (!this.startsTerm(this.peek())) throw new LexError('OR needs a term on each side', or.start);
      children.push(this.parseUnary(depth));
    }
    if (children.length === 1) return children[0]!;
    // a OR (b OR c) is one OR of three.
    return { type: 'or', children: children.flatMap((c) => (c.type === 'or' ? c.children : [c])) };
  }

  private parseUnary(depth: number): SearchNode {
    if (depth > SEARCH_LIMITS.maxDepth) throw new LexError(`nested deeper than ${SEARCH_LIMITS.maxDepth} levels`, this.peek().start);
    const t = this.next();
    switch (t.kind) {
      case 'minus': {
        if (!this.startsTerm(this.peek())) throw new LexError('"-" needs a term after it', t.start);
        const child = this.parseUnary(depth + 1);
        return child.type === 'not' ? child.child : { type: 'not', child };
      }
      case 'lparen': {
        const inner = this.parseAnd(depth + 1);
        const close = this.next();
        if (close.kind !== 'rparen') throw new LexError('"(" without a matching ")"', t.start);
        if (inner.type === 'and' && inner.children.length === 0) throw new LexError('empty parentheses', t.start);
        return inner;
      }
      case 'phrase':
        return this.leaf({ type: 'text', value: t.text, phrase: true }, t.start);
      case 'word':
        if (isKeyword(t, 'OR') || isKeyword(t, 'AND')) throw new LexError(`${t.text} needs a term on each side`, t.start);
        return this.leaf(this.wordLeaf(t), t.start);
      default:
        // 'end' or 'rparen' cannot start a term; parseAnd never asks for one there.
        throw new LexError('a search term was expected', t.start);
    }
  }

  private wordLeaf(t: Extract<Token, { kind: 'word' }>): SearchNode {
    const colon = t.text.indexOf(':');
    if (colon > 0) {
      const name = t.text.slice(0, colon);
      const value = t.quotedValue ? t.quotedValue.value : t.text.slice(colon + 1);
      const leaf = operatorLeaf(name, value, t.quotedValue !== undefined, t.start + colon + 1);
      if (leaf) return leaf;
    }
    // Not an operator: the word as text (with a quoted tail, the words as one phrase).
    return t.quotedValue
      ? { type: 'text', value: `${t.text}${t.quotedValue.value}`, phrase: true }
      : { type: 'text', value: t.text, phrase: false };
  }

  private leaf(node: SearchNode, start: number): SearchNode {
    if (++this.terms > SEARCH_LIMITS.maxTerms) throw new LexError(`more than ${SEARCH_LIMITS.maxTerms} search terms`, start);
    return node;
  }
}
