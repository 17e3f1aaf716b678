import { describe, expect, it } from 'vitest';
import { generateAppPassword, parseAppPassword } from './app-password-format.js';

describe('app password format', () => {
  it('generates four groups of four letters whose prefix is the first six', () => {
    const p = generateAppPassword();
    expect(p.display).toMatch(/^[a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4}$/);
    expect(p.normalized).toBe(p.display.replaceAll(' ', ''));
    expect(p.prefix).toBe(p.normalized.slice(0, 6));
    expect(generateAppPassword().normalized).not.toBe(p.normalized);
  });

  it.each([
    ['abcd efgh ijkl mnop', 'abcdefghijklmnop'],
    ['abcdefghijklmnop', 'abcdefghijklmnop'],
    ['ABCD-EFGH-IJKL-MNOP', 'abcdefghijklmnop'],
  ])('accepts %j', (raw, normalized) => {
    expect(parseAppPassword(raw)).toEqual({ normalized, prefix: 'abcdef' });
  });

  it.each(['abcd efgh ijkl mno', 'abcd efgh ijkl mnop q', 'abcd3fgh ijkl mnop', 'correct horse battery staple', ''])(
    'does not take %j for an app password',
    (raw) => expect(parseAppPassword(raw)).toBeUndefined(),
  );
});
