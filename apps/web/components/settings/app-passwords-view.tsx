'use client';

/**
 * /settings/app-passwords: passwords for mail apps (Thunderbird, a phone's Mail app) that speak
 * IMAP, POP3 or SMTP. Each is limited to the protocols chosen, shown once, listed with its last
 * use, and revoked at once. With 2-Step Verification on they are the only way mail apps sign in.
 */
import { type FormEvent, useState } from 'react';
import { type AppPasswordProtocol, type AppPasswordView, accountApi, type CreatedAppPassword } from '@/lib/account-api';
import { useLoadedList } from '../common/use-loaded-list';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';
import { AppPasswordTable } from './app-password-table';
import { MailAppSetup } from './mail-app-setup';

const PROTOCOLS: { value: AppPasswordProtocol; label: string }[] = [
  { value: 'imap', label: 'IMAP (read mail)' },
  { value: 'pop3', label: 'POP3 (download mail)' },
  { value: 'smtp', label: 'SMTP (send mail)' },
];

export function AppPasswordsView() {
  const { reportError } = useMail();
  const { notify } = useCompose();
  const [created, setCreated] = useState<CreatedAppPassword | null>(null);
  const [name, setName] = useState('');
  const [protocols, setProtocols] = useState<AppPasswordProtocol[]>(['imap', 'pop3', 'smtp']);
  const [busy, setBusy] = useState(false);

  const { items: list, reload } = useLoadedList(async (signal) => (await accountApi.appPasswords(signal)).appPasswords, reportError);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      setCreated(await accountApi.createAppPassword({ name: name.trim(), protocols }));
      setName('');
      await reload();
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (p: AppPasswordView) => {
    try {
      await accountApi.revokeAppPassword(p.id);
      notify({ text: `App password “${p.name}” revoked` });
      if (created?.id === p.id) setCreated(null);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };

  const toggle = (p: AppPasswordProtocol, on: boolean) => setProtocols((cur) => (on ? [...cur, p] : cur.filter((x) => x !== p)));

  return (
    <>
      <h2 className="settings-page-title">App passwords</h2>
      <p>
        Mail apps that use IMAP, POP3 or SMTP sign in with an app password instead of your password. With 2-Step Verification on, only app
        passwords work in them.
      </p>
      {created && (
        <section className="secret-notice" aria-label="New app password" data-testid="new-app-password">
          <p>
            <strong>App password for “{created.name}”.</strong> Enter it in the app instead of your password. It is shown only now.
          </p>
          <p>
            <code className="app-password-secret" data-testid="app-password-secret">
              {created.password}
            </code>
          </p>
          <button type="button" className="btn" onClick={() => setCreated(null)}>
            Done
          </button>
        </section>
      )}
      <section className="settings-section" aria-labelledby="app-password-create-h">
        <h3 id="app-password-create-h">Create an app password</h3>
        <form className="settings-form" onSubmit={(e) => void create(e)}>
          <label className="settings-field">
            <span className="field-label">App name</span>
            <input
              className="settings-input"
              value={name}
              maxLength={100}
              placeholder="Thunderbird on my laptop"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <fieldset className="settings-radios">
            <legend className="field-label">It may be used for</legend>
            {PROTOCOLS.map((p) => (
              <label key={p.value}>
                <input type="checkbox" checked={protocols.includes(p.value)} onChange={(e) => toggle(p.value, e.target.checked)} />
                {p.label}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim() || protocols.length === 0}>
            Create app password
          </button>
        </form>
      </section>
      <section className="settings-section" aria-labelledby="app-password-list-h">
        <h3 id="app-password-list-h">Your app passwords</h3>
        {list === null && <p className="muted">Loading…</p>}
        {list?.length === 0 && <p className="muted">No app passwords yet.</p>}
        {list && list.length > 0 && <AppPasswordTable items={list} onRevoke={revoke} />}
      </section>
      <MailAppSetup />
    </>
  );
}
