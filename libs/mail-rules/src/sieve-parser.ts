import { SieveError, type Token } from './sieve-lexer';

/** RFC 5228 §8.2 grammar, generically: what each command means is sieve-import's business. */
export type Arg =
  | { kind: 'tag'; value: string; line: number }
  | { kind: 'strings'; value: string[]; line: number; list: boolean }
  | { kind: 'number'; value: number; line: number };

export interface Test {
  name: string;
  args: Arg[];
  tests: Test[];
  line: number;
}

export interface Command {
  name: string;
  args: Arg[];
  test?: Test;
  block?: Command[];
  line: number;
}

/** Deepest nesting of blocks and tests accepted (the forms write two levels). */
const MAX_DEPTH = 16;

export function parseSieve(tokens: Token[]): Command[] {
  let pos = 0;
  const peek = () => tokens[pos];
  const lastLine = () => tokens[tokens.length - 1]?.line ?? 1;
  const next = (): Token => {
    const t = tokens[pos++];
    if (!t) throw new SieveError(lastLine(), 'unexpected end of script');
    return t;
  };
  const isPunct = (t: Token | undefined, p: string) => t?.type === 'punct' && t.value === p;
  const expect = (p: string) => {
    const t = next();
    if (!isPunct(t, p)) throw new SieveError(t.line, `expected "${p}"`);
  };

  const parseArgs = (): Arg[] => {
    const args: Arg[] = [];
    for (;;) {
      const t = peek();
      if (!t) break;
      if (t.type === 'tag') args.push({ kind: 'tag', value: t.value, line: next().line });
      else if (t.type === 'number') args.push({ kind: 'number', value: t.value, line: next().line });
      else if (t.type === 'string') args.push({ kind: 'strings', value: [t.value], line: next().line, list: false });
      else if (isPunct(t, '[')) {
        next();
        const values: string[] = [];
        for (;;) {
          const s = next();
          if (s.type !== 'string') throw new SieveError(s.line, 'expected a string in the list');
          values.push(s.value);
          const sep = next();
          if (isPunct(sep, ']')) break;
          if (!isPunct(sep, ',')) throw new SieveError(sep.line, 'expected "," or "]"');
        }
        args.push({ kind: 'strings', value: values, line: t.line, list: true });
      } else break;
    }
    return args;
  };

  const parseTest = (depth: number): Test => {
    const t = next();
    if (t.type !== 'ident') throw new SieveError(t.line, 'expected a test');
    if (depth > MAX_DEPTH) throw new SieveError(t.line, 'tests nested too deeply');
    const args = parseArgs();
    const tests: Test[] = [];
    if (isPunct(peek(), '(')) {
      next();
      for (;;) {
        tests.push(parseTest(depth + 1));
        const sep = next();
        if (isPunct(sep, ')')) break;
        if (!isPunct(sep, ',')) throw new SieveError(sep.line, 'expected "," or ")"');
      }
    } else if (t.value === 'not') {
      tests.push(parseTest(depth + 1));
    }
    return { name: t.value, args, tests, line: t.line };
  };

  const parseCommands = (depth: number, inBlock: boolean): Command[] => {
    const out: Command[] = [];
    for (;;) {
      const t = peek();
      if (!t) {
        if (inBlock) throw new SieveError(lastLine(), 'missing "}"');
        return out;
      }
      if (inBlock && isPunct(t, '}')) {
        next();
        return out;
      }
      next();
      if (t.type !== 'ident') throw new SieveError(t.line, 'expected a command');
      if (depth > MAX_DEPTH) throw new SieveError(t.line, 'blocks nested too deeply');
      const cmd: Command = { name: t.value, args: [], line: t.line };
      if (t.value === 'if' || t.value === 'elsif') cmd.test = parseTest(depth + 1);
      else cmd.args = parseArgs();
      if (isPunct(peek(), '{')) {
        next();
        cmd.block = parseCommands(depth + 1, true);
      } else expect(';');
      out.push(cmd);
    }
  };

  return parseCommands(0, false);
}
