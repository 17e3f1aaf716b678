import { readFileSync } from 'node:fs';
import { type DnsResolver, dnsError } from './dns-resolver.js';

/**
 * Fixed records, for tests, benchmarks and the development default. The table maps a lower-case
 * name to its records by type, in the shapes node's resolver returns:
 *   { "example.org": { "TXT": [["v=spf1 ip4:127.0.0.1 -all"]], "MX": [{ "exchange": "mx.example.org", "priority": 10 }],
 *                      "A": ["127.0.0.1"] },
 *     "1.0.0.127.in-addr.arpa": { "PTR": ["localhost"] } }
 * Anything absent is ENOTFOUND, so nothing is ever asked of the network.
 */
export type DnsRecords = Record<string, Record<string, unknown[]>>;

export class StaticDnsResolver implements DnsResolver {
  private readonly records = new Map<string, Record<string, unknown[]>>();

  constructor(records: DnsRecords = {}) {
    for (const [name, byType] of Object.entries(records)) this.set(name, byType);
  }

  static fromFile(path: string): StaticDnsResolver {
    return new StaticDnsResolver(JSON.parse(readFileSync(path, 'utf8')) as DnsRecords);
  }

  /** Adds or replaces the records of one name (tests change the zone as they go). */
  set(name: string, byType: Record<string, unknown[]>): void {
    const key = normalize(name);
    this.records.set(key, { ...(this.records.get(key) ?? {}), ...upper(byType) });
  }

  async resolve(name: string, rrtype: string): Promise<unknown[]> {
    const byType = this.records.get(normalize(name));
    if (!byType) throw dnsError('ENOTFOUND', name, rrtype);
    const list = byType[rrtype.toUpperCase()];
    if (!list || list.length === 0) throw dnsError('ENODATA', name, rrtype);
    return structuredClone(list);
  }

  async reverse(ip: string): Promise<string[]> {
    return (await this.resolve(reverseName(ip), 'PTR')) as string[];
  }
}

const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
const upper = (byType: Record<string, unknown[]>) => Object.fromEntries(Object.entries(byType).map(([t, v]) => [t.toUpperCase(), v]));

/** 127.0.0.1 → 1.0.0.127.in-addr.arpa (IPv6 nibble form for ::1 etc.). */
export function reverseName(ip: string): string {
  if (ip.includes(':')) {
    const [head = '', tail = ''] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) => g.padStart(4, '0'));
    return `${groups.join('').split('').reverse().join('.')}.ip6.arpa`;
  }
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}
