'use client';

/** One account's settings: display name, quota, role, disable/enable, password reset, deletion. */
import type { AdminAccount } from '@correio/contracts';
import { useState } from 'react';
import styles from './admin.module.css';
import { adminApi, formatBytes, parseQuota } from './admin-api';
import { useAdmin } from './admin-shell';
import { CopyButton } from './copy-button';

export function AccountEditor({ account, onChanged }: { account: AdminAccount; onChanged(a: AdminAccount | null): void }) {
  const { notify, reportError } = useAdmin();
  const [displayName, setDisplayName] = useState(account.displayName);
  // The rounded size when it reads back exactly (2.0 GB), else the byte count: saving never changes it by accident.
  const [quota, setQuota] = useState(parseQuota(formatBytes(account.quotaBytes)) === account.quotaBytes ? formatBytes(account.quotaBytes) : account.quotaBytes);
  const [password, setPassword] = useState('');
  const [shownPassword, setShownPassword] = useState<string | null>(null);
  const a = account.address;

  const patch = async (p: Parameters<typeof adminApi.updateAccount>[1], done: string) => {
    try {
      onChanged(await adminApi.updateAccount(a, p));
      notify(done);
    } catch (err) {
      reportError(err);
    }
  };

  const saveQuota = () => {
    const bytes = parseQuota(quota);
    if (bytes === null) return reportError(new Error('Quota: write a size such as 500 MB or 2 GB (0 = unlimited).'));
    void patch({ quotaBytes: bytes }, bytes === '0' ? `${a}: no quota` : `${a}: quota ${formatBytes(bytes)}`);
  };

  const reset = async () => {
    try {
      const res = await adminApi.resetPassword(a, password || undefined);
      setPassword('');
      setShownPassword(res.generatedPassword ?? null);
      notify(`${a}: password changed; its sessions are signed out`);
    } catch (err) {
      reportError(err);
    }
  };

  const remove = async () => {
    const ok = window.confirm(
      `Delete ${a}? The account is disabled at once and can no longer log in or receive mail; all its mail and folders are then deleted in the background. This cannot be undone.`,
    );
    if (!ok) return;
    try {
      onChanged(await adminApi.deleteAccount(a));
      notify(`${a} is being deleted: its mail is removed in the background`);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <div className={styles.detail} data-testid="account-editor">
      <div className={styles.form}>
        <label className={styles.field}>
          Display name
          <input className={styles.input} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </label>
        <button type="button" className="btn" onClick={() => void patch({ displayName }, `${a}: display name saved`)}>
          Save display name
        </button>
        <label className={styles.field}>
          Quota (0 = unlimited)
          <input className={styles.input} value={quota} onChange={(e) => setQuota(e.target.value)} />
        </label>
        <button type="button" className="btn" onClick={saveQuota}>
          Save quota
        </button>
      </div>
      <div className={styles.form}>
        <label className={styles.field}>
          New password (empty: generate one)
          <input className={styles.input} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <button type="button" className="btn" onClick={() => void reset()}>
          Reset password
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => void patch({ role: account.role === 'admin' ? 'user' : 'admin' }, `${a}: ${account.role === 'admin' ? 'no longer an administrator' : 'now an administrator'}`)}
        >
          {account.role === 'admin' ? 'Remove admin role' : 'Make administrator'}
        </button>
        <button type="button" className="btn" onClick={() => void patch({ disabled: !account.disabled }, `${a} ${account.disabled ? 'enabled' : 'disabled'}`)}>
          {account.disabled ? 'Enable account' : 'Disable account'}
        </button>
        <button type="button" className={`btn ${styles.danger}`} onClick={() => void remove()} disabled={account.deletePending}>
          Delete account
        </button>
      </div>
      {shownPassword && (
        <div className={styles.notice} role="status">
          <p>
            New password for {a} (shown only now): <code data-testid="generated-password">{shownPassword}</code>{' '}
            <CopyButton text={shownPassword} what={`the new password of ${a}`} />
          </p>
        </div>
      )}
    </div>
  );
}
