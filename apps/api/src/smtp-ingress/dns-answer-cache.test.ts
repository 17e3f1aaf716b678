import { describe, expect, it } from 'vitest';
import { DnsAnswerCache } from './dns-answer-cache.js';

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('DnsAnswerCache', () => {
  it('asks once per name and type within the TTL, and gives each caller its own copy', async () => {
    let now = 0;
    const asked: string[] = [];
    const cache = new DnsAnswerCache(
      async (name, type) => {
        asked.push(`${type} ${name}`);
        return [['v=spf1 -all']];
      },
      30_000,
      100,
      () => now,
    );
    const first = (await cache.lookup('Example.org.', 'txt')) as string[][];
    first[0]!.push('changed by a caller');
    expect(await cache.lookup('example.org', 'TXT')).toEqual([['v=spf1 -all']]);
    expect(await cache.lookup('example.org', 'MX')).toEqual([['v=spf1 -all']]);
    expect(asked).toEqual(['txt Example.org.', 'MX example.org']);
    now = 30_000;
    await cache.lookup('example.org', 'TXT');
    expect(asked).toHaveLength(3);
  });

  it('keeps negative answers (no such name, no such record), never timeouts or server failures', async () => {
    let calls = 0;
    let code = 'ENOTFOUND';
    const cache = new DnsAnswerCache(async () => {
      calls++;
      throw failure(code);
    });
    await expect(cache.lookup('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(cache.lookup('_dmarc.example.org', 'TXT')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(calls).toBe(1);
    code = 'ETIMEOUT';
    await expect(cache.lookup('slow.example.org', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(cache.lookup('slow.example.org', 'TXT')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(calls).toBe(3);
  });

  it('holds at most `max` answers, the oldest leaving first', async () => {
    const cache = new DnsAnswerCache(async (name) => [name], 30_000, 2);
    for (const n of ['a.example', 'b.example', 'c.example']) await cache.lookup(n, 'A');
    expect(cache.size).toBe(2);
  });
});
