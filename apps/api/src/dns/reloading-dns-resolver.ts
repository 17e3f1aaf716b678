import { statSync } from 'node:fs';
import type { DnsResolver } from './dns-resolver.js';
import { StaticDnsResolver } from './static-dns-resolver.js';

/** How often the file's modification time is looked at, at most (a stat per question would show). */
const CHECK_EVERY_MS = 500;

/**
 * Fixed records from a JSON file (CORREIO_DNS_RECORDS), read again when the file changes: an
 * operator or a system test edits the zone (e.g. "the domain's records are now published", issue
 * 14's live check) without restarting the process.
 */
export class ReloadingDnsResolver implements DnsResolver {
  private current: StaticDnsResolver;
  private mtimeMs: number;
  private checkedAt = 0;

  constructor(private readonly file: string) {
    this.mtimeMs = statSync(file).mtimeMs;
    this.current = StaticDnsResolver.fromFile(file);
  }

  resolve(name: string, rrtype: string): Promise<unknown[]> {
    return this.fresh().resolve(name, rrtype);
  }

  reverse(ip: string): Promise<string[]> {
    return this.fresh().reverse(ip);
  }

  private fresh(): StaticDnsResolver {
    const now = Date.now();
    if (now - this.checkedAt < CHECK_EVERY_MS) return this.current;
    this.checkedAt = now;
    try {
      const mtimeMs = statSync(this.file).mtimeMs;
      if (mtimeMs !== this.mtimeMs) {
        this.current = StaticDnsResolver.fromFile(this.file);
        this.mtimeMs = mtimeMs;
      }
    } catch {
      // Missing or half-written: keep answering from the last good copy.
    }
    return this.current;
  }
}
