import type { FrameLiteral } from './receiver';

/**
 * A cursor over one command frame (receiver.ts) with the RFC 9051 §9 token rules. Lines are read as
 * UTF-8 text (8-bit is only legal in quoted strings after UTF8=ACCEPT, and then it is UTF-8);
 * literals stay bytes. Failures throw ParseError, which parseCommand turns into { ok: false }.
 */

export class ParseError extends Error {}

/** atom-specials (RFC 9051 §9): "(" ")" "{" SP CTL "%" "*" DQUOTE "\" "]". */
function isAtomChar(c: string): boolean {
  const code = c.charCodeAt(0);
  if (code <= 0x20 || code === 0x7f) return false;
  return !'(){%*"\\]'.includes(c);
}

export class Reader {
  private lineIndex = 0;
  private pos = 0;
  private line: string;
  private readonly lines: string[];

  constructor(
    lines: Buffer[],
    private readonly literals: FrameLiteral[],
  ) {
    this.lines = lines.map((l) => l.toString('utf8'));
    this.line = this.lines[0] ?? '';
  }

  fail(text: string): never {
    throw new ParseError(text);
  }

  /** The next character of the current line, or '' at its end (a literal may follow). */
  peek(): string {
    return this.line[this.pos] ?? '';
  }

  /** True at the end of the whole command. */
  isAtEnd(): boolean {
    return this.pos >= this.line.length && this.lineIndex >= this.lines.length - 1;
  }

  /** True when a literal starts here. */
  isAtLiteral(): boolean {
    return this.pos >= this.line.length && this.lineIndex < this.literals.length;
  }

  /** The rest of the current line from here, to look ahead without consuming. */
  rest(): string {
    return this.line.slice(this.pos);
  }

  skip(count: number): void {
    this.pos += count;
  }

  /** Consumes text when it comes next (case-insensitive); returns whether it did. */
  accept(text: string): boolean {
    if (this.line.substr(this.pos, text.length).toUpperCase() === text.toUpperCase()) {
      this.pos += text.length;
      return true;
    }
    return false;
  }

  expect(text: string, what?: string): void {
    if (!this.accept(text)) this.fail(what ?? `Expected "${text}"`);
  }

  sp(): void {
    if (this.peek() !== ' ') this.fail(this.isAtEnd() ? 'Missing arguments' : 'Expected a space');
    this.pos++;
  }

  end(): void {
    if (!this.isAtEnd()) this.fail('Unexpected extra arguments');
  }

  literal(): FrameLiteral {
    if (!this.isAtLiteral()) this.fail('Expected a literal');
    const literal = this.literals[this.lineIndex] as FrameLiteral;
    this.lineIndex++;
    this.line = this.lines[this.lineIndex] ?? '';
    this.pos = 0;
    return literal;
  }

  atom(what = 'atom'): string {
    const start = this.pos;
    while (this.pos < this.line.length && isAtomChar(this.line[this.pos] as string)) this.pos++;
    if (this.pos === start) this.fail(this.isAtEnd() ? `Missing ${what}` : `Invalid ${what}`);
    return this.line.slice(start, this.pos);
  }

  /** A run of characters matching re (one character at a time), at least one. */
  take(re: RegExp, what: string): string {
    const start = this.pos;
    while (this.pos < this.line.length && re.test(this.line[this.pos] as string)) this.pos++;
    if (this.pos === start) this.fail(this.isAtEnd() ? `Missing ${what}` : `Invalid ${what}`);
    return this.line.slice(start, this.pos);
  }

  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const c = this.line[this.pos++];
      if (c === undefined) this.fail('Unterminated quoted string');
      if (c === '"') return out;
      if (c === '\\') {
        const next = this.line[this.pos++];
        if (next !== '"' && next !== '\\') this.fail('Invalid escape in quoted string');
        out += next;
      } else out += c;
    }
  }

  /** string = quoted / literal, as text. */
  string(what = 'string'): string {
    if (this.peek() === '"') return this.quoted();
    if (this.isAtLiteral()) return this.literalText();
    return this.fail(this.isAtEnd() ? `Missing ${what}` : `Expected a ${what}`);
  }

  /** astring = 1*ASTRING-CHAR / string (ASTRING-CHAR = ATOM-CHAR / "]"). */
  astring(what = 'argument'): string {
    if (this.peek() === '"' || this.isAtLiteral()) return this.string(what);
    return this.take(/[^\x00-\x20\x7f(){%*"\\]/, what);
  }

  /** nstring = string / NIL. */
  nstring(what = 'string'): string | null {
    if (this.peek() !== '"' && !this.isAtLiteral() && this.rest().toUpperCase().startsWith('NIL')) {
      this.pos += 3;
      return null;
    }
    return this.string(what);
  }

  private literalText(): string {
    const literal = this.literal();
    // RFC 3516 §4.4: literal8 is only for APPEND data (which reads literal() directly).
    if (literal.isBinary) this.fail('literal8 is only allowed for APPEND data');
    if (literal.data.includes(0)) this.fail('NUL in a literal');
    return literal.data.toString('utf8');
  }

  /** number (RFC 9051 §9): 0..4294967295. */
  number(what = 'number'): number {
    const digits = this.take(/[0-9]/, what);
    const value = Number(digits);
    if (digits.length > 10 || value > 4294967295) this.fail(`Invalid ${what}`);
    return value;
  }

  nzNumber(what = 'number'): number {
    const value = this.number(what);
    if (value === 0) this.fail(`Invalid ${what}`);
    return value;
  }

  /** mod-sequence-value (RFC 7162 §7): 1..2^63-1; mod-sequence-valzer allows 0. */
  modseq(allowZero: boolean, what = 'mod-sequence'): bigint {
    const digits = this.take(/[0-9]/, what);
    const value = digits.length <= 19 ? BigInt(digits) : -1n;
    if (value < (allowZero ? 0n : 1n) || value > 9223372036854775807n) this.fail(`Invalid ${what}`);
    return value;
  }

  /**
   * "(" item *(SP item) ")" — calls item for each element; empty lists allowed when allowEmpty.
   */
  list(item: () => void, allowEmpty = false): void {
    this.expect('(', 'Expected "("');
    if (this.accept(')')) {
      if (!allowEmpty) this.fail('Empty list');
      return;
    }
    for (;;) {
      item();
      if (this.accept(')')) return;
      if (this.isAtEnd()) this.fail('Missing ")"');
      this.sp();
    }
  }
}
