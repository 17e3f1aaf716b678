'use client';

import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '@/lib/api';
import { LogoMark } from './icons';

/**
 * The second step of a two-factor login (issue 15): the six-digit code of the authenticator app,
 * or one of the recovery codes. Five wrong codes end the attempt; then the password is asked again.
 */
export function SecondFactorForm({ address, onDone, onRestart }: { address: string; onDone(): void; onRestart(): void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  useEffect(() => codeRef.current?.focus(), []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.loginSecondFactor(code.trim());
      onDone();
    } catch (err) {
      setCode('');
      setBusy(false);
      if (err instanceof ApiError && err.status === 401 && err.message !== 'wrong code') {
        // The attempt is over (expired, or too many wrong codes): back to the password.
        setError(`${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`);
        return;
      }
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 400) ? 'Wrong code. Try again.' : 'Sign-in failed. Try again.',
      );
    }
  }

  const isOver = error !== null && error !== 'Wrong code. Try again.' && error !== 'Sign-in failed. Try again.';

  return (
    <form className="auth-card" onSubmit={onSubmit} data-testid="second-factor-form" noValidate>
      <div className="auth-brand">
        <LogoMark />
        <span>Correio</span>
      </div>
      <h1 className="auth-title">2-Step Verification</h1>
      <p className="auth-subtitle">{address}</p>
      <label className="field">
        <span className="field-label">Enter code</span>
        <input
          ref={codeRef}
          name="code"
          autoComplete="one-time-code"
          inputMode="text"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={64}
          required
          value={code}
          disabled={isOver}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby="second-factor-help"
          data-testid="login-code"
        />
      </label>
      <p id="second-factor-help" className="muted">
        The 6-digit code from your authenticator app, or one of your recovery codes.
      </p>
      {error && (
        <p className="auth-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      {isOver ? (
        <button type="button" className="btn btn-primary btn-block" onClick={onRestart}>
          Enter your password again
        </button>
      ) : (
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !code.trim()} data-testid="login-verify">
          {busy ? 'Verifying…' : 'Verify'}
        </button>
      )}
    </form>
  );
}
