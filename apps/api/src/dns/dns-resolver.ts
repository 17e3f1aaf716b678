/**
 * Every DNS question Correio asks (reverse lookups, SPF/DKIM/DMARC/ARC, later MX) goes through this
 * one interface, so tests, benchmarks and development run on fixed records and never reach the
 * system resolver (which is off-machine on our build hosts and slow anywhere).
 *
 * `resolve` has the shape of node's `dns.promises.resolve(name, rrtype)` because that is what mail
 * libraries such as mailauth expect; failures are errors with node's codes (ENOTFOUND: no such
 * name, ENODATA: the name exists without records of that type).
 */
export interface DnsResolver {
  resolve(name: string, rrtype: string): Promise<unknown[]>;
  reverse(ip: string): Promise<string[]>;
}

export const DNS_RESOLVER = Symbol('DNS_RESOLVER');

export function dnsError(code: 'ENOTFOUND' | 'ENODATA' | 'ETIMEOUT', name: string, rrtype: string): Error {
  // An answer, not a fault: callers read its code, never its stack. SPF and DMARC ask for absent
  // names on most messages, and capturing a stack trace each time was measurable on the MX's
  // end-of-data path (issue 10), so none is captured.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const err = new Error(`${code} ${name} ${rrtype}`) as Error & { code: string; hostname: string };
  Error.stackTraceLimit = limit;
  err.code = code;
  err.hostname = name;
  return err;
}
