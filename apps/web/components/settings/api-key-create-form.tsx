'use client';

import { type FormEvent, useId, useState } from 'react';
import { ApiError, api, type ApiKeyScope, type CreatedApiKey } from '@/lib/api';
import { SCOPE_CHOICES, expiryFromDateInput, tomorrowForDateInput } from '@/lib/api-key-scopes';
import styles from './api-keys.module.css';

/** Name, scopes (checkboxes; admin only for admins), optional expiry day → POST /api/v1/api-keys. */
export function ApiKeyCreateForm({ isAdmin, onCreated }: { isAdmin: boolean; onCreated(key: CreatedApiKey): void }) {
  const id = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['mail:read']);
  const [expiry, setExpiry] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  const toggle = (scope: ApiKeyScope, isOn: boolean) =>
    setScopes((prev) => (isOn ? [...prev.filter((s) => s !== scope), scope] : prev.filter((s) => s !== scope)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError('Give the key a name, such as the program that will use it.');
    if (scopes.length === 0) return setError('Choose at least one scope.');
    setError(null);
    setIsSaving(true);
    try {
      const ordered = SCOPE_CHOICES.map((c) => c.scope).filter((s) => scopes.includes(s));
      onCreated(await api.createApiKey({ name: name.trim(), scopes: ordered, expiresAt: expiryFromDateInput(expiry) }));
      setName('');
      setScopes(['mail:read']);
      setExpiry('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the key.');
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} aria-describedby={error ? `${id}-error` : undefined} noValidate>
      <label className={styles.field} htmlFor={`${id}-name`}>
        <span className="field-label">Key name</span>
        <input
          id={`${id}-name`}
          className={styles.input}
          value={name}
          maxLength={100}
          required
          placeholder="e.g. Helpdesk"
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <fieldset className={styles.scopes}>
        <legend>Scopes</legend>
        {SCOPE_CHOICES.filter((c) => isAdmin || !c.isAdminOnly).map((c) => (
          <label key={c.scope} className={styles.scope}>
            <input type="checkbox" checked={scopes.includes(c.scope)} onChange={(e) => toggle(c.scope, e.target.checked)} />
            <span>
              {c.label} <code>{c.scope}</code> <span className={styles.hint}>— {c.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className={styles.field} htmlFor={`${id}-expiry`}>
        <span className="field-label">Expires on (optional; empty: never)</span>
        <input
          id={`${id}-expiry`}
          type="date"
          className={styles.input}
          value={expiry}
          min={tomorrowForDateInput()}
          onChange={(e) => setExpiry(e.target.value)}
        />
      </label>
      {error && (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="btn btn-primary" disabled={isSaving}>
          Create key
        </button>
      </div>
    </form>
  );
}
