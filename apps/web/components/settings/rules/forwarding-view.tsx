'use client';

/** /settings/forwarding: forward all incoming mail to other addresses, keeping a copy or not. */
import type { ForwardingView as Forwarding } from '@correio/contracts';
import { useId, useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { rulesApi } from './rules-api';
import { RulesPageTitle } from './rules-nav';
import { useRulesLoader } from './use-rules-loader';

export function ForwardingView() {
  const { data } = useRulesLoader(rulesApi.forwarding);
  return (
    <>
      <RulesPageTitle title="Forwarding" id="forwarding-title" />
      {data ? <ForwardingForm initial={data} /> : <p className="muted">Loading…</p>}
    </>
  );
}

function ForwardingForm({ initial }: { initial: Forwarding }) {
  const { notify, reportError } = useMail();
  const id = useId();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [addresses, setAddresses] = useState(initial.addresses.join(', '));
  const [keepCopy, setKeepCopy] = useState(initial.keepCopy);
  const [isSaving, setIsSaving] = useState(false);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setIsSaving(true);
    try {
      const list = addresses.split(/[\s,;]+/).filter(Boolean);
      await rulesApi.setForwarding({ enabled, addresses: list, keepCopy });
      notify(enabled ? `Forwarding to ${list.join(', ')}` : 'Forwarding is off');
    } catch (err) {
      reportError(err);
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <form className="settings-section rules-form" onSubmit={(e) => void save(e)}>
      <fieldset className="settings-radios">
        <legend className="field-label">Forwarding</legend>
        <label>
          <input type="radio" name={`${id}-on`} checked={!enabled} onChange={() => setEnabled(false)} /> Disable forwarding
        </label>
        <label>
          <input type="radio" name={`${id}-on`} checked={enabled} onChange={() => setEnabled(true)} /> Forward a copy of incoming mail
        </label>
      </fieldset>
      <label className="settings-field rules-wide">
        <span className="field-label">Forward to (one or more addresses, separated by commas)</span>
        <input type="text" value={addresses} onChange={(e) => setAddresses(e.target.value)} />
      </label>
      <label className="settings-check">
        <input type="checkbox" checked={keepCopy} onChange={(e) => setKeepCopy(e.target.checked)} /> Keep a copy in this mailbox
      </label>
      <p className="muted">
        Forwarded mail is signed (ARC) and sent with a rewritten sender (SRS), so it keeps passing SPF and DMARC checks. Loops are stopped.
      </p>
      <button type="submit" className="btn btn-primary" disabled={isSaving}>
        Save changes
      </button>
    </form>
  );
}
