import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReloadingDnsResolver } from './reloading-dns-resolver.js';

describe('ReloadingDnsResolver', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('answers from the records file and from its new content once it changes; a broken file keeps the last good one', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'correio-dns-'));
    const file = path.join(dir, 'dns.json');
    await writeFile(file, JSON.stringify({ 'example.org': { TXT: [['v=spf1 -all']] } }));
    const r = new ReloadingDnsResolver(file);
    expect(await r.resolve('example.org', 'TXT')).toEqual([['v=spf1 -all']]);
    await expect(r.resolve('example.org', 'MX')).rejects.toMatchObject({ code: 'ENODATA' });

    await writeFile(file, JSON.stringify({ 'example.org': { MX: [{ exchange: 'mx.example.org', priority: 10 }] } }));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    await new Promise((res) => setTimeout(res, 600));
    expect(await r.resolve('Example.org.', 'MX')).toEqual([{ exchange: 'mx.example.org', priority: 10 }]);
    await expect(r.resolve('example.org', 'TXT')).rejects.toMatchObject({ code: 'ENODATA' });

    await writeFile(file, '{ half-written');
    await utimes(file, new Date(), new Date(Date.now() + 10_000));
    await new Promise((res) => setTimeout(res, 600));
    expect(await r.resolve('example.org', 'MX')).toHaveLength(1);
  });
});
