import type { Action, Condition, MatchOp, Rule, VacationSettings } from './rule-types';
import { lexSieve, SieveError } from './sieve-lexer';
import { type Arg, type Command, parseSieve, type Test } from './sieve-parser';

/** The extensions the filter forms can express (RFC 5228 base plus these). */
export const SUPPORTED_EXTENSIONS = ['fileinto', 'imap4flags', 'vacation', 'copy', 'mime'] as const;

/** Most filters one script may hold. */
export const MAX_RULES = 500;

export interface ImportedScript {
  rules: Rule[];
  /** The script's vacation action (RFC 5230), if it has one; dates are Correio's, not the script's. */
  vacation?: Omit<VacationSettings, 'startsAt' | 'endsAt'>;
}

/**
 * A Sieve script → the filters the forms edit. Anything the forms cannot express (an extension
 * outside SUPPORTED_EXTENSIONS, elsif/else, not, a vacation inside a condition...) is refused with
 * a SieveError naming its line, never approximated silently.
 */
export function importSieve(script: string): ImportedScript {
  const { tokens, ruleNames } = lexSieve(script);
  const commands = parseSieve(tokens);
  const required = new Set<string>();
  const out: ImportedScript = { rules: [] };
  const need = (ext: string, line: number) => {
    if (!required.has(ext)) throw new SieveError(line, `"${ext}" is used without require "${ext}"`);
  };
  for (const cmd of commands) {
    if (cmd.name === 'require') {
      for (const ext of strings(cmd.args[0], cmd.line, 'require')) {
        if (!(SUPPORTED_EXTENSIONS as readonly string[]).includes(ext))
          throw new SieveError(cmd.line, `extension "${ext}" is not supported (supported: ${SUPPORTED_EXTENSIONS.join(', ')})`);
        required.add(ext);
      }
    } else if (cmd.name === 'if') {
      if (out.rules.length >= MAX_RULES) throw new SieveError(cmd.line, `more than ${MAX_RULES} filters`);
      const name = ruleNames.get(cmd.line - 1) ?? `Filter ${out.rules.length + 1}`;
      out.rules.push({ name, ...importCondition(cmd.test!, need), actions: importActions(cmd.block ?? [], need) });
    } else if (cmd.name === 'elsif' || cmd.name === 'else') {
      throw new SieveError(cmd.line, `"${cmd.name}" is not supported by the filter forms (write separate "if" filters with "stop")`);
    } else if (cmd.name === 'vacation') {
      need('vacation', cmd.line);
      out.vacation = importVacation(cmd);
    } else if (cmd.name === 'keep') {
      // The implicit keep (RFC 5228 §2.10.2) says the same.
    } else {
      // A bare action applies to every message: a filter without conditions.
      out.rules.push({
        name: ruleNames.get(cmd.line - 1) ?? `Filter ${out.rules.length + 1}`,
        enabled: true,
        match: 'all',
        conditions: [],
        actions: importActions([cmd], need),
      });
    }
  }
  return out;
}

type Need = (ext: string, line: number) => void;

function importCondition(test: Test, need: Need): Pick<Rule, 'enabled' | 'match' | 'conditions'> {
  // Export writes a disabled filter as allof(false, <its test>), which no Sieve engine runs.
  if (test.name === 'allof' && test.tests.length === 2 && test.tests[0]!.name === 'false') {
    return { ...importCondition(test.tests[1]!, need), enabled: false };
  }
  if (test.name === 'true') return { enabled: true, match: 'all', conditions: [] };
  if (test.name === 'allof' || test.name === 'anyof') {
    const conditions: Condition[] = [];
    for (const t of test.tests) {
      const cs = importTest(t, need);
      if (test.name === 'allof' && cs.length > 1)
        throw new SieveError(t.line, 'a test with several keys inside allof is not supported by the filter forms');
      conditions.push(...cs);
    }
    return { enabled: true, match: test.name === 'allof' ? 'all' : 'any', conditions };
  }
  const cs = importTest(test, need);
  return { enabled: true, match: cs.length > 1 ? 'any' : 'all', conditions: cs };
}

/** One Sieve test → conditions that are OR'ed (one per key and header name). */
function importTest(t: Test, need: Need): Condition[] {
  const tags = t.args.filter((a): a is Extract<Arg, { kind: 'tag' }> => a.kind === 'tag').map((a) => a.value);
  const rest = t.args.filter((a) => a.kind !== 'tag');
  if (t.name === 'size') {
    const n = rest[0];
    if (n?.kind !== 'number' || rest.length !== 1) throw new SieveError(t.line, 'size needs :over or :under and a number');
    if (tags.length !== 1 || (tags[0] !== 'over' && tags[0] !== 'under')) throw new SieveError(t.line, 'size needs :over or :under');
    return [{ field: 'size', op: tags[0], value: n.value }];
  }
  if (t.name !== 'address' && t.name !== 'header') throw new SieveError(t.line, `test "${t.name}" is not supported by the filter forms`);
  let op: MatchOp = 'is';
  let mime = false;
  let anychild = false;
  for (const tag of tags) {
    if (tag === 'is' || tag === 'contains' || tag === 'matches') op = tag;
    else if (tag === 'all' && t.name === 'address') continue;
    else if (tag === 'mime' && t.name === 'header') mime = true;
    else if (tag === 'anychild' && t.name === 'header') anychild = true;
    else throw new SieveError(t.line, `":${tag}" is not supported by the filter forms`);
  }
  if (rest.length !== 2) throw new SieveError(t.line, `${t.name} needs a header list and a key list`);
  // Header names keep their spelling (the round trip gives them back); comparisons ignore case.
  const names = strings(rest[0], t.line, t.name);
  const keys = strings(rest[1], t.line, t.name);
  if (mime || anychild) {
    need('mime', t.line);
    if (
      !(
        mime &&
        anychild &&
        op === 'contains' &&
        names.length === 1 &&
        names[0]!.toLowerCase() === 'content-disposition' &&
        keys.length === 1 &&
        keys[0]!.toLowerCase() === 'attachment'
      )
    ) {
      throw new SieveError(
        t.line,
        'only header :mime :anychild :contains "Content-Disposition" "attachment" (has attachment) is supported',
      );
    }
    return [{ field: 'hasAttachment' }];
  }
  const out: Condition[] = [];
  if (t.name === 'address') {
    const set = new Set(names.map((n) => n.toLowerCase()));
    const toCc = set.has('to') || set.has('cc');
    for (const n of set)
      if (n !== 'from' && n !== 'to' && n !== 'cc') throw new SieveError(t.line, `address "${n}" is not supported (from, to, cc)`);
    for (const value of keys) {
      if (set.has('from')) out.push({ field: 'from', op, value });
      if (toCc) out.push({ field: 'toCc', op, value });
    }
    return out;
  }
  for (const name of names) {
    for (const value of keys)
      out.push(name.toLowerCase() === 'subject' ? { field: 'subject', op, value } : { field: 'header', name, op, value });
  }
  return out;
}

function importActions(block: Command[], need: Need): Action[] {
  const out: Action[] = [];
  for (const c of block) {
    const tags = c.args.filter((a) => a.kind === 'tag').map((a) => a.value);
    const rest = c.args.filter((a) => a.kind !== 'tag');
    const one = () => {
      const v = strings(rest[0], c.line, c.name);
      if (v.length !== 1 || rest.length !== 1) throw new SieveError(c.line, `${c.name} takes one string`);
      return v[0]!;
    };
    if (c.block || c.test) throw new SieveError(c.line, 'nested conditions are not supported by the filter forms');
    switch (c.name) {
      case 'fileinto':
        need('fileinto', c.line);
        if (tags.length) throw new SieveError(c.line, `fileinto :${tags[0]} is not supported`);
        out.push({ kind: 'move', folder: one() });
        break;
      case 'addflag': {
        need('imap4flags', c.line);
        if (rest.length !== 1) throw new SieveError(c.line, 'addflag with a variable name is not supported');
        for (const flags of strings(rest[0], c.line, c.name)) {
          for (const f of flags.split(' ').filter(Boolean)) {
            const lower = f.toLowerCase();
            out.push(lower === '\\seen' ? { kind: 'markRead' } : lower === '\\flagged' ? { kind: 'star' } : { kind: 'label', label: f });
          }
        }
        break;
      }
      case 'redirect': {
        const copy = tags.includes('copy');
        if (copy) need('copy', c.line);
        if (tags.some((t) => t !== 'copy')) throw new SieveError(c.line, 'only redirect and redirect :copy are supported');
        out.push({ kind: 'forward', address: one() });
        // Without :copy, redirect cancels the implicit keep (RFC 5228 §4.2).
        if (!copy) out.push({ kind: 'delete' });
        break;
      }
      case 'discard':
        out.push({ kind: 'delete' });
        break;
      case 'stop':
        out.push({ kind: 'stop' });
        break;
      case 'keep':
        break;
      case 'vacation':
        throw new SieveError(c.line, 'a vacation inside a condition is not supported (the responder is one setting)');
      default:
        throw new SieveError(c.line, `command "${c.name}" is not supported by the filter forms`);
    }
  }
  return out;
}

function importVacation(c: Command): NonNullable<ImportedScript['vacation']> {
  let days = 7;
  let subject = '';
  let reason: string | undefined;
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (a.kind === 'tag') {
      const v = c.args[++i];
      if (a.value === 'days') {
        if (v?.kind !== 'number') throw new SieveError(a.line, ':days needs a number');
        // RFC 5230 §4.1: at least 1 (a site may raise the minimum).
        days = Math.max(1, Math.min(365, v.value));
      } else if (a.value === 'subject') subject = strings(v, a.line, ':subject')[0] ?? '';
      else if (a.value === 'from' || a.value === 'handle' || a.value === 'addresses') strings(v, a.line, `:${a.value}`);
      else throw new SieveError(a.line, `vacation :${a.value} is not supported`);
    } else if (a.kind === 'strings' && !a.list && reason === undefined) reason = a.value[0];
    else throw new SieveError(a.line, 'vacation takes one reason string');
  }
  if (reason === undefined) throw new SieveError(c.line, 'vacation needs a reason (the message)');
  return { enabled: true, days, subject, message: reason.replace(/\r\n/g, '\n').replace(/\n$/, '') };
}

function strings(a: Arg | undefined, line: number, what: string): string[] {
  if (a?.kind !== 'strings') throw new SieveError(line, `${what} needs a string or a string list`);
  return a.value;
}
