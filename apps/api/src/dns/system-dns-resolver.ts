import { Resolver } from 'node:dns/promises';
import type { DnsResolver } from './dns-resolver.js';

/** The real resolver, for production: node's c-ares resolver with optional explicit servers. */
export class SystemDnsResolver implements DnsResolver {
  private readonly resolver = new Resolver({ timeout: 5_000, tries: 2 });

  constructor(servers: string[] = []) {
    if (servers.length) this.resolver.setServers(servers);
  }

  resolve(name: string, rrtype: string): Promise<unknown[]> {
    return this.resolver.resolve(name, rrtype) as Promise<unknown[]>;
  }

  reverse(ip: string): Promise<string[]> {
    return this.resolver.reverse(ip);
  }
}
