/**
 * Mail address normalisation for lookups. The local part is case-sensitive by RFC 5321 §2.4, but
 * every mainstream provider treats it case-insensitively and so do we (one mailbox per spelling is
 * a support nightmare); domains are case-insensitive by definition.
 */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}

const ADDRESS_RE = /^[^\s@<>(),;:\\"[\]]{1,64}@([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const DOMAIN_RE = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

export function isValidAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS_RE.test(address);
}

export function isValidDomain(domain: string): boolean {
  return domain.length <= 253 && DOMAIN_RE.test(domain);
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
