'use client';

/** /settings (General): display name, conversation view, theme, the undo-send window, a signature per identity. */
import Link from 'next/link';
import { useId, useState } from 'react';
import { api } from '@/lib/api';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';
import { MailPreferences } from './mail-preferences';
import { ProfileForm } from './profile-form';
import { SignatureEditor } from './signature-editor';

const UNDO_CHOICES = [0, 5, 10, 20, 30];

export function SettingsView() {
  const { settings, settingsLoaded, reloadSettings, notify } = useCompose();
  const { reportError } = useMail();
  const undoId = useId();
  const [isSaving, setIsSaving] = useState(false);

  const setUndo = async (seconds: number) => {
    setIsSaving(true);
    try {
      await api.updateComposeSettings(seconds);
      await reloadSettings();
      notify({ text: seconds ? `Undo send: ${seconds} seconds` : 'Undo send is off' });
    } catch (err) {
      reportError(err);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <>
      <ProfileForm />
      <MailPreferences />
      {!settingsLoaded && <p className="muted">Loading…</p>}
      {settingsLoaded && (
        <>
          <section className="settings-section" aria-labelledby={`${undoId}-h`}>
            <h2 id={`${undoId}-h`}>Sending</h2>
            <label className="settings-field" htmlFor={undoId}>
              <span className="field-label">Undo send window</span>
              <select
                id={undoId}
                className="compose-select"
                value={settings.undoSendSeconds}
                disabled={isSaving}
                onChange={(e) => void setUndo(Number(e.target.value))}
              >
                {UNDO_CHOICES.map((s) => (
                  <option key={s} value={s}>
                    {s === 0 ? 'Off (send at once)' : `${s} seconds`}
                  </option>
                ))}
              </select>
            </label>
          </section>
          <section className="settings-section" aria-labelledby="api-keys-h">
            <h2 id="api-keys-h">API keys</h2>
            <p>
              <Link href="/settings/api-keys" data-testid="api-keys-link">
                Manage API keys
              </Link>{' '}
              <span className="muted">for programs that use your mail (a CRM, a helpdesk, a script).</span>
            </p>
          </section>
          <section className="settings-section" aria-labelledby="signatures-h">
            <h2 id="signatures-h">Signatures</h2>
            {settings.identities.map((identity) => (
              <SignatureEditor key={identity.address} identity={identity} onSaved={() => void reloadSettings()} />
            ))}
          </section>
        </>
      )}
    </>
  );
}
