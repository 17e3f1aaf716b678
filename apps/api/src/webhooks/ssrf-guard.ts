import { BlockList, isIP } from 'node:net';
import type { DnsResolver } from '../dns/dns-resolver.js';

/**
 * Addresses a webhook must never reach unless the operator allows it (CORREIO_WEBHOOKS_ALLOW_PRIVATE):
 * a webhook URL is chosen by a user, and without this a user could make the server call its own
 * admin ports, the cloud metadata service (169.254.169.254) or the internal network (SSRF). Special
 * ranges of RFC 6890 (IPv4) and RFC 6890/4291/4193 (IPv6) that are not globally reachable.
 */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT, RFC 6598
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (ULA)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges by BlockList itself. */
export function isNonPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return true;
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export type TargetCheck = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string };

/**
 * Where a webhook URL points: its host's address, checked. A name is resolved through the project's
 * resolver (A and AAAA); if ANY of its addresses is non-public the target is refused (a name that
 * mixes public and private answers is a rebinding trick). The caller connects to the address this
 * returns, not to the name again, so the answer checked is the answer used (DNS rebinding between
 * check and connect). Run at create/update and before every attempt.
 */
export async function checkWebhookTarget(url: string, dns: DnsResolver, allowPrivate: boolean): Promise<TargetCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: 'only http and https URLs' };
  if (parsed.username || parsed.password) return { ok: false, reason: 'no credentials in the URL' };
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: 4 | 6 }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) as 4 | 6 }];
  } else {
    addresses = [];
    for (const [type, family] of [['A', 4], ['AAAA', 6]] as const) {
      try {
        for (const a of (await dns.resolve(host, type)) as string[]) addresses.push({ address: a, family });
      } catch {
        /* a host with one family only, or none */
      }
    }
    if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  }
  if (!allowPrivate && addresses.some((a) => isNonPublicAddress(a.address))) {
    return { ok: false, reason: `${host} resolves to a private, loopback or link-local address (refused)` };
  }
  return { ok: true, ...addresses[0]! };
}
