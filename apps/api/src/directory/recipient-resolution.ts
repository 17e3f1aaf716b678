import type { AddressLookup } from './repositories/recipient.repository.js';

/** Where mail for an address goes, as DirectoryService.resolveRecipient() answers it. */
export type RecipientResolution =
  /**
   * accountIds: local mailboxes; forwards: external alias destinations (outbound queue);
   * overQuota: those of accountIds whose quota is used up.
   */
  | { kind: 'local'; accountIds: string[]; forwards: string[]; overQuota: string[] }
  | { kind: 'unknown'; disabled?: boolean } // our domain, nobody there: 550 5.1.1; a disabled account: 550 5.2.1
  | { kind: 'remote' }; // not our domain: relay, only for authenticated senders

/** An address lookup as a delivery decision: undefined when nothing local answers to it. */
export function toResolution(l: AddressLookup): RecipientResolution | undefined {
  if (l.account) {
    if (l.account.disabled) return undefined;
    return { kind: 'local', accountIds: [l.account.id], forwards: [], overQuota: l.account.overQuota ? [l.account.id] : [] };
  }
  const ids = new Set<string>();
  const full = new Set<string>();
  const forwards = new Set<string>();
  for (const alias of l.aliases) {
    if (alias.account) {
      if (alias.account.disabled) continue;
      ids.add(alias.account.id);
      if (alias.account.overQuota) full.add(alias.account.id);
    } else if (!alias.destinationDomainIsLocal) {
      forwards.add(alias.destination);
    }
  }
  return ids.size + forwards.size > 0 ? { kind: 'local', accountIds: [...ids], forwards: [...forwards], overQuota: [...full] } : undefined;
}
