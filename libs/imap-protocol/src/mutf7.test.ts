import { describe, expect, it } from 'vitest';
import { decodeModifiedUtf7, encodeModifiedUtf7 } from './mutf7';

// RFC 3501 §5.1.3 examples and edges: UTF-8 name ↔ modified UTF-7.
const pairs: [string, string][] = [
  ['INBOX', 'INBOX'],
  ['', ''],
  ['&', '&-'],
  ['A&B', 'A&-B'],
  ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
  ['Café', 'Caf&AOk-'],
  ['Itens excluídos', 'Itens exclu&AO0-dos'],
  ['Entwürfe', 'Entw&APw-rfe'],
  ['😀', '&2D3eAA-'],
  ['a😀b€', 'a&2D3eAA-b&IKw-'],
  ['&&', '&-&-'],
  ['Ü&Ö', '&ANw-&-&ANY-'],
  ['tab\there', 'tab&AAk-here'],
];

describe('modified UTF-7', () => {
  it.each(pairs)('%j ↔ %j', (utf8, mutf7) => {
    expect(encodeModifiedUtf7(utf8)).toBe(mutf7);
    expect(decodeModifiedUtf7(mutf7)).toBe(utf8);
  });

  it.each([
    ['&', 'unterminated shift'],
    ['&Jjo', 'unterminated shift'],
    ['Café', '8-bit character'],
    ['&AGE-', 'printable ASCII in base64 ("a")'],
    ['&2D0-', 'lone high surrogate'],
    ['&3gA-', 'lone low surrogate'],
    ['&AOk', 'no "-"'],
    ['&AO-', 'odd number of bytes'],
    ['&AOl-', 'leftover bits not zero'],
    ['&AO/-', '"/" instead of ","'],
    ['&AOk=-', 'padding'],
  ])('refuses %j (%s)', (text) => {
    expect(decodeModifiedUtf7(text)).toBeNull();
  });

  it('round-trips every BMP block start and a few astral characters', () => {
    for (let cp = 0x80; cp < 0x10000; cp += 0x3ff) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const name = `x${String.fromCodePoint(cp)}y${String.fromCodePoint(cp, cp + 1)}`;
      expect(decodeModifiedUtf7(encodeModifiedUtf7(name))).toBe(name);
    }
    for (const cp of [0x10000, 0x1f600, 0x10ffff]) {
      const name = String.fromCodePoint(cp);
      expect(decodeModifiedUtf7(encodeModifiedUtf7(name))).toBe(name);
    }
  });
});
