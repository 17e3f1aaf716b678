import type { Account } from '@correio/db';
import type { AccountInfoRow } from './repositories/directory.repository.js';

/** An account as the directory hands it out (API, sessions): strings for ids and byte counts. */
export interface AccountInfo {
  id: string;
  address: string;
  displayName: string;
  role: 'admin' | 'user';
  quotaBytes: string;
  usedBytes: string;
  disabled: boolean;
  /** Last successful login on any protocol (to the minute); null if never since recorded. */
  lastLoginAt: string | null;
  /** An admin asked for its removal; the purge worker deletes it and its mail. */
  deletePending: boolean;
}

/** What an admin may change on an account (issue 14). Undefined fields stay as they are. */
export interface AccountChanges {
  displayName?: string;
  quotaBytes?: bigint;
  role?: 'admin' | 'user';
  disabled?: boolean;
}

export function toInfo(a: Account | AccountInfoRow): AccountInfo {
  return {
    id: a.id.toString(),
    address: a.address,
    displayName: a.displayName,
    role: a.role,
    quotaBytes: a.quotaBytes.toString(),
    usedBytes: a.usedBytes.toString(),
    disabled: a.disabled,
    lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    deletePending: a.deleteRequestedAt !== null,
  };
}
