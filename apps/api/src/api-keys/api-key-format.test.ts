import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey, isApiKeyShaped } from './api-key-format.js';

describe('API key format: cor_<prefix>_<secret>', () => {
  it('makes greppable base62 keys whose prefix is their public part and whose hash is SHA-256', () => {
    const k = generateApiKey();
    expect(k.key).toMatch(/^cor_[0-9A-Za-z]{10}_[0-9A-Za-z]{43}$/);
    expect(k.key.slice(4, 14)).toBe(k.prefix);
    expect(k.hash).toBe(createHash('sha256').update(k.key).digest('hex'));
    expect(hashApiKey(k.key)).toBe(k.hash);
    expect(isApiKeyShaped(k.key)).toBe(true);
  });

  it('never repeats and uses the whole alphabet (no bias towards the first characters)', () => {
    const keys = Array.from({ length: 2000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(keys.length);
    const counts = new Map<string, number>();
    for (const k of keys) for (const ch of k.key.slice(15)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (2000 * 43) / 62; // ≈ 1387 per character
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.2);
  });

  it.each([
    ['', false],
    ['cor_', false],
    [`cor_${'a'.repeat(10)}_${'b'.repeat(42)}`, false],
    [`cor_${'a'.repeat(10)}_${'b'.repeat(44)}`, false],
    [`cor_${'a'.repeat(9)}-_${'b'.repeat(43)}`, false],
    [`COR_${'a'.repeat(10)}_${'b'.repeat(43)}`, false],
    [` cor_${'a'.repeat(10)}_${'b'.repeat(43)}`, false],
    [`cor_${'a'.repeat(10)}_${'b'.repeat(43)}`, true],
  ])('%j is shaped like a key: %s', (text, expected) => {
    expect(isApiKeyShaped(text)).toBe(expected);
  });
});
