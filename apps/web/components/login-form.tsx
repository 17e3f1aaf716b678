'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '@/lib/api';
import { LogoMark } from './icons';
import { SecondFactorForm } from './second-factor-form';

/** Only same-app paths: a `next` of "//evil.example" or "https://…" would be an open redirect. */
function safeNext(raw: string | null): string {
  if (raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/\\')) return raw;
  return '/mail';
}

export function LoginForm() {
  const router = useRouter();
  const [address, setAddress] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Two-factor login: the password was right, now a code (TOTP or recovery). */
  const [needsCode, setNeedsCode] = useState(false);
  const addressRef = useRef<HTMLInputElement>(null);
  useEffect(() => addressRef.current?.focus(), []);

  const enter = () => router.replace(safeNext(new URLSearchParams(window.location.search).get('next')));

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.login({ address: address.trim(), password });
      if ('secondFactorRequired' in result) {
        setPassword('');
        setNeedsCode(true);
        setBusy(false);
        return;
      }
      enter();
    } catch (err) {
      setPassword('');
      if (err instanceof ApiError && (err.status === 401 || err.status === 400)) {
        setError('Wrong address or password.');
      } else if (err instanceof ApiError && err.status === 429) {
        setError('Too many attempts. Wait a minute and try again.');
      } else {
        setError(err instanceof ApiError ? err.message : 'Sign-in failed. Try again.');
      }
      setBusy(false);
    }
  }

  if (needsCode) return <SecondFactorForm address={address.trim()} onDone={enter} onRestart={() => setNeedsCode(false)} />;

  return (
    <form className="auth-card" onSubmit={onSubmit} data-testid="login-form" noValidate>
      <div className="auth-brand">
        <LogoMark />
        <span>Correio</span>
      </div>
      <h1 className="auth-title">Sign in</h1>
      <p className="auth-subtitle">to continue to your mailbox</p>

      <label className="field">
        <span className="field-label">Email address</span>
        <input
          type="email"
          name="address"
          autoComplete="username"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          ref={addressRef}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          data-testid="login-address"
        />
      </label>
      <label className="field">
        <span className="field-label">Password</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="login-password"
        />
      </label>

      {error && (
        <p className="auth-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}

      <button
        type="submit"
        className="btn btn-primary btn-block"
        disabled={busy || !address.trim() || !password}
        data-testid="login-submit"
      >
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
