'use client';

import { type FormEvent, useId, useState } from 'react';
import { accountApi } from '@/lib/account-api';
import { ApiError } from '@/lib/api';
import { useCompose } from '../compose/compose-context';

/** Settings → Security → Password: the current one, the new one twice. Other sessions are signed out. */
export function PasswordForm({ onChanged }: { onChanged(): void }) {
  const { notify } = useCompose();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setIsSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (next.length < 8) return setError('The new password needs at least 8 characters.');
    if (next !== again) return setError('The new passwords do not match.');
    setIsSaving(true);
    try {
      const { otherSessionsSignedOut } = await accountApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      notify({
        text: otherSessionsSignedOut ? `Password changed. ${otherSessionsSignedOut} other session(s) signed out.` : 'Password changed',
      });
      onChanged();
    } catch (err) {
      setError(
        err instanceof ApiError ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` : 'Could not change the password.',
      );
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Password</h2>
      <form className="settings-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="settings-field">
          <span className="field-label">Current password</span>
          <input
            className="settings-input"
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
        </label>
        <label className="settings-field">
          <span className="field-label">New password</span>
          <input
            className="settings-input"
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
        </label>
        <label className="settings-field">
          <span className="field-label">Confirm new password</span>
          <input
            className="settings-input"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {error && (
          <p className="auth-error" role="alert">
            {error}
          </p>
        )}
        <p className="muted">Changing it signs you out everywhere else; this browser stays signed in.</p>
        <button type="submit" className="btn btn-primary" disabled={isSaving || !current || !next || !again}>
          Change password
        </button>
      </form>
    </section>
  );
}
