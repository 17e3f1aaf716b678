'use client';

import { useState } from 'react';
import type { AppPasswordView } from '@/lib/account-api';
import styles from './api-keys.module.css';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'Never');
const NAMES = { imap: 'IMAP', pop3: 'POP3', smtp: 'SMTP' } as const;

/** The app passwords (never the secrets) with protocols and last use; Revoke asks for a confirmation in the row. */
export function AppPasswordTable({ items, onRevoke }: { items: AppPasswordView[]; onRevoke(p: AppPasswordView): Promise<void> }) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const revoke = async (p: AppPasswordView) => {
    setBusy(p.id);
    try {
      await onRevoke(p);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };

  return (
    <table className={styles.table} data-testid="app-password-list">
      <caption className="sr-only">Your app passwords</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">For</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.id} data-testid="app-password-row">
            <th scope="row">{p.name}</th>
            <td>{p.protocols.map((x) => NAMES[x]).join(', ')}</td>
            <td>{when(p.createdAt)}</td>
            <td>{p.lastUsedAt ? `${when(p.lastUsedAt)}${p.lastUsedIp ? ` from ${p.lastUsedIp}` : ''}` : 'Never'}</td>
            <td>
              {confirming === p.id ? (
                <fieldset className={styles.confirm}>
                  <legend className="sr-only">Confirm revoking {p.name}</legend>
                  <span>Apps using it are signed out at their next login.</span>
                  <button type="button" className={`btn ${styles.danger}`} disabled={busy === p.id} onClick={() => void revoke(p)}>
                    Revoke {p.name}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    Cancel
                  </button>
                </fieldset>
              ) : (
                <button type="button" className="btn" aria-label={`Revoke app password ${p.name}`} onClick={() => setConfirming(p.id)}>
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
