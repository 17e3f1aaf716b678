import { describe, expect, it } from 'vitest';
import { isAtom, labelKeyword } from './label-keyword.js';

// Label name → the IMAP keyword stored on messages (RFC 9051 §9 flag-keyword = atom).
describe('labelKeyword', () => {
  it.each([
    ['Work', 'Work'],
    ['to-do', 'to-do'],
    ['Q4_2026', 'Q4_2026'],
    ['  Work  ', 'Work'],
    ['Work stuff', '$label_work_stuff'],
    ['Família', '$label_familia'],
    ['Ação (urgente)', '$label_acao_urgente'],
    ['100%', '$label_100'],
    ['a*b', '$label_a_b'],
    ['quote"d', '$label_quote_d'],
    ['back\\slash', '$label_back_slash'],
    ['x]y', '$label_x_y'],
    ['{literal}', '$label_literal'],
    ['$Junk', '$label_junk'],
    ['\\Seen', '$label_seen'],
    ['日本', '$label_label'],
    ['😀', '$label_label'],
    ['x'.repeat(101), `$label_${'x'.repeat(60)}`],
  ])('%j → %j', (name, keyword) => {
    const k = labelKeyword(name);
    expect(k).toBe(keyword);
    expect(isAtom(k)).toBe(true);
  });

  it('disambiguates two names with one slug, stably, still an atom', () => {
    const a = labelKeyword('Work  stuff', true);
    expect(a).toMatch(/^\$label_work_stuff_[0-9a-f]{8}$/);
    expect(labelKeyword('Work  stuff', true)).toBe(a);
    expect(labelKeyword('work stuff', true)).not.toBe(a);
    expect(isAtom(a)).toBe(true);
  });

  it.each([[''], ['a b'], ['a(b'], ['tab\there'], ['ção'], ['x'.repeat(101)]])('%j is no atom', (s) => {
    expect(isAtom(s)).toBe(false);
  });
});
