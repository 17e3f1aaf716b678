'use client';

/** /settings/vacation: the vacation responder (RFC 3834 rules are the server's). */
import type { VacationView as Vacation } from '@correio/contracts';
import { useId, useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { rulesApi } from './rules-api';
import { RulesPageTitle } from './rules-nav';
import { useRulesLoader } from './use-rules-loader';

const toDate = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
const fromDate = (d: string, endOfDay: boolean) => (d ? new Date(`${d}T${endOfDay ? '23:59:59' : '00:00:00'}`).toISOString() : null);

export function VacationView() {
  const { data } = useRulesLoader(rulesApi.vacation);
  return (
    <>
      <RulesPageTitle title="Vacation responder" id="vacation-title" />
      {data ? <VacationForm initial={data} /> : <p className="muted">Loading…</p>}
    </>
  );
}

function VacationForm({ initial }: { initial: Vacation }) {
  const { notify, reportError } = useMail();
  const id = useId();
  const [v, setV] = useState({ ...initial, startsAt: toDate(initial.startsAt), endsAt: toDate(initial.endsAt) });
  const [isSaving, setIsSaving] = useState(false);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setIsSaving(true);
    try {
      await rulesApi.setVacation({ ...v, startsAt: fromDate(v.startsAt, false), endsAt: fromDate(v.endsAt, true) });
      notify(v.enabled ? 'Vacation responder on' : 'Vacation responder off');
    } catch (err) {
      reportError(err);
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <form className="settings-section rules-form" onSubmit={(e) => void save(e)}>
      <fieldset className="settings-radios">
        <legend className="field-label">Vacation responder</legend>
        <label>
          <input type="radio" name={`${id}-on`} checked={!v.enabled} onChange={() => setV({ ...v, enabled: false })} /> Vacation responder
          off
        </label>
        <label>
          <input type="radio" name={`${id}-on`} checked={v.enabled} onChange={() => setV({ ...v, enabled: true })} /> Vacation responder on
        </label>
      </fieldset>
      <label className="settings-field">
        <span className="field-label">First day</span>
        <input type="date" value={v.startsAt} onChange={(e) => setV({ ...v, startsAt: e.target.value })} />
      </label>
      <label className="settings-field">
        <span className="field-label">Last day (optional)</span>
        <input type="date" value={v.endsAt} onChange={(e) => setV({ ...v, endsAt: e.target.value })} />
      </label>
      <label className="settings-field">
        <span className="field-label">Subject</span>
        <input
          type="text"
          value={v.subject}
          placeholder="Auto: (the original subject)"
          onChange={(e) => setV({ ...v, subject: e.target.value })}
        />
      </label>
      <label className="settings-field rules-wide">
        <span className="field-label">Message</span>
        <textarea rows={6} value={v.message} onChange={(e) => setV({ ...v, message: e.target.value })} />
      </label>
      <label className="settings-field">
        <span className="field-label">Answer each sender at most once every (days)</span>
        <input type="number" min={1} max={365} value={v.days} onChange={(e) => setV({ ...v, days: Number(e.target.value) || 7 })} />
      </label>
      <p className="muted">Never sent to mailing lists, automatic mail, bounces or your own addresses.</p>
      <button type="submit" className="btn btn-primary" disabled={isSaving}>
        Save changes
      </button>
    </form>
  );
}
