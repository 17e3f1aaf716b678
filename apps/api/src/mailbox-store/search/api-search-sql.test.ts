import { parseSearchQuery, type SearchNode } from '@correio/search-query';
import { describe, expect, it } from 'vitest';
import { compileApiSearch, drivingTerm, mentionsTrashOrJunk, usesText } from './api-search-sql.js';

const parse = (q: string): SearchNode => {
  const r = parseSearchQuery(q);
  if (!r.ok) throw new Error(r.error.message);
  return r.query;
};

describe('compileApiSearch: every value is a bind parameter', () => {
  const hostile = `x'); DROP TABLE messages; --`;
  it.each([
    `"${hostile}"`,
    `from:"${hostile}"`,
    `subject:"${hostile}"`,
    `filename:"${hostile}"`,
    `in:"${hostile}"`,
    `label:"${hostile}"`,
    `-"${hostile}" OR "${hostile}"`,
  ])('%s', (q) => {
    const params: unknown[] = ['1'];
    const sql = compileApiSearch(parse(q), params);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain(`'); `);
    expect(params.slice(1).some((p) => String(p).includes('drop table messages'))).toBe(true);
    // Every placeholder names a parameter that exists.
    for (const [, n] of sql.matchAll(/\$(\d+)/g)) expect(Number(n)).toBeLessThanOrEqual(params.length);
  });

  it('escapes LIKE wildcards and regex characters in values', () => {
    const params: unknown[] = ['1'];
    compileApiSearch(parse('"100%_off" from:a.b'), params);
    expect(params).toContain('%100\\%\\_off%');
    expect(params).toContain('(^|\\n)from[ \\t]*:[^\\n]*a\\.b');
  });
});

describe('drivingTerm: the text term a search is driven from through the index', () => {
  const cases: [string, string | undefined][] = [
    ['invoice', 'invoice'],
    ['is:unread invoice march', 'invoice'],
    ['from:bruna@paulolopes.fr invoice', 'bruna@paulolopes.fr'],
    ['zanzibar OR xylophone is:unread', 'zanzibar|xylophone'],
    ['-invoice', undefined],
    ['invoice OR is:starred', undefined],
    ['is:unread has:attachment', undefined],
    ['filename:pdf', undefined],
    ['zq', 'zq'],
    ['zq invoice', 'invoice'],
    ['é OR zq', 'é|zq'],
  ];
  it.each(cases)('%j', (q, expected) => {
    const d = drivingTerm(parse(q));
    const label = (n: SearchNode): string =>
      n.type === 'or' ? n.children.map(label).join('|') : n.type === 'text' || n.type === 'field' ? n.value : n.type;
    expect(d && label(d)).toBe(expected);
  });
});

describe('mentionsTrashOrJunk / usesText', () => {
  it.each([
    ['invoice', false],
    ['in:trash', true],
    ['in:spam invoice', true],
    ['in:anywhere', true],
    ['-in:trash', false],
    ['in:inbox OR in:junk', true],
  ] as const)('%j asks for Trash/Junk: %s', (q, expected) => {
    expect(mentionsTrashOrJunk(parse(q))).toBe(expected);
  });
  it('text leaves read message_text; filename: and flags do not', () => {
    expect(usesText(parse('is:unread filename:pdf'))).toBe(false);
    expect(usesText(parse('-from:bob'))).toBe(true);
  });
});
