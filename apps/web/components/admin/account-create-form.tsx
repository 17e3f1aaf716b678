'use client';

/** Create an account: the password typed, or left empty to have one generated and shown once. */
import { type FormEvent, useState } from 'react';
import styles from './admin.module.css';
import { adminApi, parseQuota } from './admin-api';
import { useAdmin } from './admin-shell';

export function AccountCreateForm({ onCreated }: { onCreated(address: string, generatedPassword: string | undefined): void }) {
  const { reportError } = useAdmin();
  const [address, setAddress] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [quota, setQuota] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const quotaBytes = quota.trim() ? parseQuota(quota) : undefined;
    if (quotaBytes === null) {
      reportError(new Error('Quota: write a size such as 500 MB or 2 GB (0 = unlimited).'));
      return;
    }
    setBusy(true);
    try {
      const res = await adminApi.createAccount({
        address: address.trim(),
        displayName: displayName.trim() || undefined,
        password: password || undefined,
        quotaBytes,
        role: isAdmin ? 'admin' : 'user',
      });
      onCreated(res.account.address, res.generatedPassword);
      setAddress('');
      setDisplayName('');
      setPassword('');
      setQuota('');
      setIsAdmin(false);
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label="Create an account">
      <label className={styles.field}>
        Address
        <input className={styles.input} type="email" value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="ana@example.org" />
      </label>
      <label className={styles.field}>
        Display name
        <input className={styles.input} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label className={styles.field}>
        Password (empty: generate one)
        <input className={styles.input} type="password" autoComplete="new-password" minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className={styles.field}>
        Quota (e.g. 2 GB; empty: unlimited)
        <input className={styles.input} value={quota} onChange={(e) => setQuota(e.target.value)} />
      </label>
      <label className={styles.field}>
        <span>
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} /> Administrator
        </span>
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Create account
      </button>
    </form>
  );
}
