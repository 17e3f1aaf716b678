import type { SPFResult } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { SpfCache } from './spf-cache.js';

const verdict = (result: string) => ({ domain: 'example.org', status: { result }, header: `Received-SPF: ${result}`, info: `spf=${result}` }) as unknown as SPFResult;

describe('SpfCache', () => {
  it('reuses a verdict for the same client address, HELO and MAIL FROM until the TTL runs out', () => {
    let now = 1_000;
    const cache = new SpfCache(30_000, 100, () => now);
    const pass = verdict('pass');
    cache.set('192.0.2.1', 'mail.example.org', 'a@example.org', pass);
    expect(cache.get('192.0.2.1', 'mail.example.org', 'a@example.org')).toBe(pass);
    // Any input differing is another check_host() (macros may use each of them, RFC 7208 §7).
    expect(cache.get('192.0.2.2', 'mail.example.org', 'a@example.org')).toBeUndefined();
    expect(cache.get('192.0.2.1', 'other.example.org', 'a@example.org')).toBeUndefined();
    expect(cache.get('192.0.2.1', 'mail.example.org', 'b@example.org')).toBeUndefined();
    now += 29_999;
    expect(cache.get('192.0.2.1', 'mail.example.org', 'a@example.org')).toBe(pass);
    now += 1;
    expect(cache.get('192.0.2.1', 'mail.example.org', 'a@example.org')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never keeps a temperror (a DNS failure is asked again)', () => {
    const cache = new SpfCache();
    cache.set('192.0.2.1', 'h', 's@example.org', verdict('temperror'));
    expect(cache.get('192.0.2.1', 'h', 's@example.org')).toBeUndefined();
    cache.set('192.0.2.1', 'h', 's@example.org', verdict('permerror'));
    expect(cache.get('192.0.2.1', 'h', 's@example.org')?.status.result).toBe('permerror');
  });

  it('holds at most `max` verdicts, dropping the oldest first', () => {
    const cache = new SpfCache(30_000, 3);
    for (let i = 1; i <= 5; i++) cache.set(`192.0.2.${i}`, 'h', 's@example.org', verdict('pass'));
    expect(cache.size).toBe(3);
    expect(cache.get('192.0.2.1', 'h', 's@example.org')).toBeUndefined();
    expect(cache.get('192.0.2.2', 'h', 's@example.org')).toBeUndefined();
    expect(cache.get('192.0.2.5', 'h', 's@example.org')).toBeDefined();
  });

  it('keeps nothing with a TTL of 0', () => {
    const cache = new SpfCache(0);
    cache.set('192.0.2.1', 'h', 's@example.org', verdict('pass'));
    expect(cache.size).toBe(0);
  });
});
