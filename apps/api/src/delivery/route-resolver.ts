import { isIP } from 'node:net';
import type { DnsResolver } from '../dns/dns-resolver.js';
import type { Route } from './transport-map.js';

export type RouteResult =
  | { ok: true; routes: Route[] }
  /** permanent: no such domain, or a null MX (RFC 7505): bounce now. Otherwise retry later. */
  | { ok: false; permanent: boolean; reason: string };

/** Private, loopback, link-local, CGNAT and unique-local ranges: never reached through DNS. */
export function isPrivateAddress(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v = ip.toLowerCase();
  return v === '::1' || v === '::' || v.startsWith('fe80:') || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('::ffff:127.') || v.startsWith('::ffff:10.') || v.startsWith('::ffff:192.168.');
}

const errCode = (e: unknown) => (e as { code?: string }).code;

/**
 * Where mail for a domain goes (RFC 5321 §5.1): the MX hosts by preference, or the domain's own
 * A/AAAA when it has no MX; a null MX ("." , RFC 7505) means the domain takes no mail. Addresses in
 * private ranges are refused unless allowed, so a malicious MX record cannot make us talk to
 * internal services.
 */
export async function resolveRoutes(domain: string, dns: DnsResolver, allowPrivate: boolean): Promise<RouteResult> {
  let hosts: string[];
  try {
    const mx = (await dns.resolve(domain, 'MX')) as { exchange: string; priority: number }[];
    const sorted = [...mx].sort((a, b) => a.priority - b.priority);
    if (sorted.length === 1 && (sorted[0]!.exchange === '' || sorted[0]!.exchange === '.')) {
      return { ok: false, permanent: true, reason: `${domain} does not accept mail (null MX, RFC 7505)` };
    }
    hosts = sorted.map((m) => m.exchange.replace(/\.$/, ''));
  } catch (e) {
    if (errCode(e) === 'ENOTFOUND') return { ok: false, permanent: true, reason: `${domain}: no such domain` };
    if (errCode(e) !== 'ENODATA') return { ok: false, permanent: false, reason: `${domain}: DNS error ${errCode(e) ?? String(e)}` };
    hosts = [domain]; // no MX: the implicit MX is the domain itself
  }
  const routes: Route[] = [];
  let refused = 0;
  for (const host of hosts) {
    const addresses: string[] = [];
    for (const type of ['A', 'AAAA']) {
      try {
        addresses.push(...((await dns.resolve(host, type)) as string[]));
      } catch {
        /* a host with one family only */
      }
    }
    for (const ip of addresses) {
      if (!allowPrivate && isPrivateAddress(ip)) refused++;
      else routes.push({ host: ip, port: 25 });
    }
  }
  if (routes.length) return { ok: true, routes };
  return { ok: false, permanent: false, reason: refused ? `${domain}: only private addresses (refused)` : `${domain}: no address for its mail hosts` };
}
