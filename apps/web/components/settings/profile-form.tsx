'use client';

import { type FormEvent, useEffect, useId, useState } from 'react';
import { accountApi } from '@/lib/account-api';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';

/** Settings → General → Profile: the display name people see in From of the mail you send. */
export function ProfileForm() {
  const { session, reportError } = useMail();
  const { notify, reloadSettings } = useCompose();
  const id = useId();
  const [name, setName] = useState(session.account.displayName);
  const [saved, setSaved] = useState(session.account.displayName);
  const [isSaving, setIsSaving] = useState(false);

  useEffect(() => {
    const ctl = new AbortController();
    accountApi.profile(ctl.signal).then(
      (p) => {
        setName(p.displayName);
        setSaved(p.displayName);
      },
      () => {},
    );
    return () => ctl.abort();
  }, []);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setIsSaving(true);
    try {
      const p = await accountApi.updateProfile(name);
      setName(p.displayName);
      setSaved(p.displayName);
      await reloadSettings();
      notify({ text: 'Name saved' });
    } catch (err) {
      reportError(err);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Profile</h2>
      <form className="settings-inline-form" onSubmit={(e) => void save(e)}>
        <label className="settings-field" htmlFor={`${id}-name`}>
          <span className="field-label">Name</span>
          <input
            id={`${id}-name`}
            className="settings-input"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            data-testid="setting-display-name"
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={isSaving || name.trim() === saved}>
          Save name
        </button>
      </form>
      <p className="muted">Shown with {session.account.address} in mail you send.</p>
    </section>
  );
}
