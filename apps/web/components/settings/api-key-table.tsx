'use client';

import { useState } from 'react';
import type { ApiKeyView } from '@/lib/api';
import styles from './api-keys.module.css';

const when = (iso: string | null, none: string) => (iso ? new Date(iso).toLocaleString() : none);

/** The account's keys (never their secrets) with last use; Revoke asks for a confirmation in the row. */
export function ApiKeyTable({ keys, onRevoke }: { keys: ApiKeyView[]; onRevoke(key: ApiKeyView): Promise<void> }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const revoke = async (key: ApiKeyView) => {
    setBusy(key.id);
    try {
      await onRevoke(key);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };

  return (
    <table className={styles.table} data-testid="api-key-list">
      <caption className="sr-only">Your API keys</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Key</th>
          <th scope="col">Scopes</th>
          <th scope="col">Created</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.id} data-testid="api-key-row">
            <th scope="row">{k.name}</th>
            <td className={styles.mono}>cor_{k.prefix}_…</td>
            <td>{k.scopes.join(', ')}</td>
            <td>{when(k.createdAt, '')}</td>
            <td>{when(k.expiresAt, 'Never')}</td>
            <td>{k.lastUsedAt ? `${when(k.lastUsedAt, '')}${k.lastUsedIp ? ` from ${k.lastUsedIp}` : ''}` : 'Never'}</td>
            <td>
              {confirming === k.id ? (
                <fieldset className={styles.confirm}>
                  <legend className="sr-only">Confirm revoking {k.name}</legend>
                  <span>Programs using it stop at once.</span>
                  <button type="button" className={`btn ${styles.danger}`} disabled={busy === k.id} onClick={() => void revoke(k)}>
                    Revoke {k.name}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </fieldset>
              ) : (
                <button type="button" className="btn" aria-label={`Revoke key ${k.name}`} onClick={() => setConfirming(k.id)}>
                  Revoke…
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
