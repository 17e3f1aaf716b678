'use client';

import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { accountApi, type TotpSetup, type TwoFactorStatus } from '@/lib/account-api';
import { ApiError } from '@/lib/api';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';
import { RecoveryCodesNotice } from './recovery-codes-notice';

type Asking = 'none' | 'new-codes' | 'turn-off';

const sentence = (err: unknown) =>
  err instanceof ApiError ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` : 'Something went wrong. Try again.';

/**
 * Settings → Security → 2-Step Verification (TOTP, RFC 6238): scan the QR code (or type the key),
 * confirm with a code, keep the ten recovery codes. Once on, signing in asks for a code, and mail
 * apps need app passwords. New recovery codes need the password; turning it off, the password and a code.
 */
export function TwoFactorSection() {
  const { reportError } = useMail();
  const { notify } = useCompose();
  const id = useId();
  const [status, setStatus] = useState<TwoFactorStatus | null>(null);
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [asking, setAsking] = useState<Asking>('none');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setStatus(await accountApi.twoFactor());
    } catch (err) {
      reportError(err);
    }
  }, [reportError]);
  useEffect(() => void reload(), [reload]);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(sentence(err));
    } finally {
      setBusy(false);
    }
  };

  const begin = () => run(async () => setSetup(await accountApi.beginTotp()));
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const { recoveryCodes } = await accountApi.confirmTotp(code);
      setSetup(null);
      setCode('');
      setCodes(recoveryCodes);
      notify({ text: '2-Step Verification is on' });
      await reload();
    });
  };
  const submitAsked = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (asking === 'new-codes') setCodes((await accountApi.regenerateRecoveryCodes(password)).recoveryCodes);
      else {
        await accountApi.disableTwoFactor(password, code);
        notify({ text: '2-Step Verification is off' });
      }
      setAsking('none');
      setPassword('');
      setCode('');
      await reload();
    });
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-h`} data-testid="two-factor">
      <h2 id={`${id}-h`}>2-Step Verification</h2>
      {codes && <RecoveryCodesNotice codes={codes} onDone={() => setCodes(null)} />}
      {status === null && <p className="muted">Loading…</p>}
      {status && !status.isEnabled && !setup && (
        <>
          <p>Off. Turn it on to ask for a code from an authenticator app (as well as your password) when you sign in.</p>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void begin()}>
            Turn on 2-Step Verification
          </button>
        </>
      )}
      {setup && (
        <form className="settings-form" onSubmit={confirm}>
          <p>Scan this QR code with your authenticator app (Google Authenticator, Aegis, 1Password…).</p>
          {/* biome-ignore lint/performance/noImgElement: a data: URL made by the server; next/image adds nothing */}
          <img className="totp-qr" src={setup.qrCodeSvgDataUrl} width={200} height={200} alt="QR code for your authenticator app" />
          <p>
            Or enter this key: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <label className="settings-field">
            <span className="field-label">Code from the app</span>
            <input
              className="settings-input"
              autoComplete="one-time-code"
              inputMode="numeric"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              data-testid="totp-code"
            />
          </label>
          <div className="settings-actions">
            <button type="submit" className="btn btn-primary" disabled={busy || !code.trim()}>
              Verify and turn on
            </button>
            <button type="button" className="btn" onClick={() => setSetup(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {status?.isEnabled && (
        <>
          <p data-testid="two-factor-status">
            On. {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? '' : 's'} left. Mail apps (IMAP, POP3, SMTP) need
            an app password.
          </p>
          {asking === 'none' ? (
            <div className="settings-actions">
              <button type="button" className="btn" onClick={() => setAsking('new-codes')}>
                Get new recovery codes
              </button>
              <button type="button" className="btn" onClick={() => setAsking('turn-off')}>
                Turn off 2-Step Verification
              </button>
            </div>
          ) : (
            <form className="settings-form" onSubmit={submitAsked}>
              <label className="settings-field">
                <span className="field-label">Your password</span>
                <input
                  className="settings-input"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              </label>
              {asking === 'turn-off' && (
                <label className="settings-field">
                  <span className="field-label">Code from the app, or a recovery code</span>
                  <input className="settings-input" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
                </label>
              )}
              <div className="settings-actions">
                <button type="submit" className="btn btn-primary" disabled={busy || !password || (asking === 'turn-off' && !code.trim())}>
                  {asking === 'turn-off' ? 'Turn off' : 'Get new codes'}
                </button>
                <button type="button" className="btn" onClick={() => setAsking('none')}>
                  Cancel
                </button>
              </div>
            </form>
          )}
        </>
      )}
      {error && (
        <p className="auth-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
