import { describe, expect, it } from 'vitest';
import { cleanText, makeSnippet } from './text';

/** The preview as it was computed before it stopped early: every line split and cleaned. */
function referenceSnippet(text: string, maxLength = 200): string {
  const of = (t: string) =>
    cleanText(
      t
        .split(/\r?\n/)
        .filter((l) => !l.startsWith('>'))
        .map((l) => l.replace(/\[(?:https?:|mailto:|cid:)[^\]]*\]/gi, '').replace(/\[[^\]]{0,3}\]/g, ''))
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
      maxLength,
    );
  const head = of(text.slice(0, 8 * 1024));
  return head.length >= maxLength || text.length <= 8 * 1024 ? head : of(text.slice(0, 512 * 1024));
}

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that exercise each rule: quotes, brackets, whitespace runs, CR/LF variants, NUL, surrogates.
const PIECES = ['word', ' ', '  \t ', '\n', '\r\n', '\r', '> quoted', '[x]', '[https://a.test/b]', '[mailto:a@b]', '[long bracket]', '\u0000', '\ud83d\ude00', '\ud83d', 'é', 'x'.repeat(150), '\n\n\n', '>'];

describe('makeSnippet', () => {
  it.each([
    ['empty', ''],
    ['only quotes', '> a\n> b\n'],
    ['quotes then text past 8 KiB', `${'> q\n'.repeat(3000)}fresh text`],
    ['one long line', 'y '.repeat(5000)],
    ['whitespace at every cut', `${'a\n \n'.repeat(400)}`],
    ['a lone surrogate at a line end', `${'z'.repeat(199)}\ud83d\nnext`],
    // The first batch of lines collapses to fewer than 200 characters: reading must go on.
    ['whitespace-heavy lines', `${'ab                    \n'.repeat(200)}`],
    ['brackets that vanish', `${'[x] [https://a.test/very/long/link] k\n'.repeat(100)}`],
    ['a first batch one character short', `${'q'.repeat(199)}${' '.repeat(300)}\nrest of it`],
  ])('agrees with the full computation: %s', (_name, text) => {
    expect(makeSnippet(text)).toBe(referenceSnippet(text));
  });

  it('agrees with the full computation on 3,000 generated texts', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const rnd = random(seed);
      const n = Math.floor(rnd() * 400);
      let text = '';
      for (let i = 0; i < n; i++) text += PIECES[Math.floor(rnd() * PIECES.length)];
      const maxLength = [20, 200][seed % 2]!;
      expect(makeSnippet(text, maxLength), `seed ${seed}`).toBe(referenceSnippet(text, maxLength));
    }
  });
});
