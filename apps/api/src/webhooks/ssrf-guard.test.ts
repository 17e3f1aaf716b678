import { describe, expect, it } from 'vitest';
import { StaticDnsResolver } from '../dns/static-dns-resolver.js';
import { checkWebhookTarget, isNonPublicAddress } from './ssrf-guard.js';

describe('webhook SSRF guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['not an ip', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
  ])('%s non-public: %s', (ip, expected) => {
    expect(isNonPublicAddress(ip)).toBe(expected);
  });

  const dns = new StaticDnsResolver({
    'hooks.example.com': { A: ['93.184.216.34'] },
    'internal.example.com': { A: ['10.0.0.5'] },
    'mixed.example.com': { A: ['93.184.216.34'], AAAA: ['::1'] },
  });

  it('checks literal addresses and every resolved address', async () => {
    expect(await checkWebhookTarget('https://hooks.example.com/x', dns, false)).toEqual({ ok: true, address: '93.184.216.34', family: 4 });
    expect((await checkWebhookTarget('https://internal.example.com/x', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('https://mixed.example.com/x', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('http://127.0.0.1:8080/x', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('http://[::1]:8080/x', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('http://nowhere.example.com/', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('ftp://hooks.example.com/', dns, false)).ok).toBe(false);
    expect((await checkWebhookTarget('http://u:p@hooks.example.com/', dns, false)).ok).toBe(false);
    // The operator's setting lets private targets through (tests, an internal receiver).
    expect(await checkWebhookTarget('http://127.0.0.1:8080/x', dns, true)).toEqual({ ok: true, address: '127.0.0.1', family: 4 });
    expect((await checkWebhookTarget('https://internal.example.com/x', dns, true)).ok).toBe(true);
  });
});
