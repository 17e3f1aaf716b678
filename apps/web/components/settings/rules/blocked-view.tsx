'use client';

/** /settings/blocked: blocked senders (their mail goes to Junk) and allowed ones (never Junk). */
import { useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { rulesApi } from './rules-api';
import { RulesPageTitle } from './rules-nav';
import { useRulesLoader } from './use-rules-loader';

export function BlockedView() {
  const { notify, reportError } = useMail();
  const { data, reload } = useRulesLoader(rulesApi.senders);
  const [pattern, setPattern] = useState('');
  const [kind, setKind] = useState<'block' | 'allow'>('block');
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const s = await rulesApi.putSender({ kind, pattern });
      notify(s.kind === 'block' ? `Blocked ${s.pattern}` : `Allowed ${s.pattern}`);
      setPattern('');
      await reload();
    } catch (err) {
      reportError(err);
    }
  };
  const remove = async (id: string, what: string) => {
    try {
      await rulesApi.deleteSender(id);
      notify(`Removed ${what}`);
      await reload();
    } catch (err) {
      reportError(err);
    }
  };
  const list = (k: 'block' | 'allow') => data?.items.filter((s) => s.kind === k) ?? [];
  return (
    <>
      <RulesPageTitle title="Blocked and allowed senders" id="blocked-title" />
      <form className="settings-section rules-row" onSubmit={(e) => void add(e)}>
        <label className="settings-field">
          <span className="field-label">Address or domain</span>
          <input
            type="text"
            value={pattern}
            required
            placeholder="someone@example.com or example.com"
            onChange={(e) => setPattern(e.target.value)}
          />
        </label>
        <label className="settings-field">
          <span className="field-label">What to do</span>
          <select className="compose-select" value={kind} onChange={(e) => setKind(e.target.value as 'block' | 'allow')}>
            <option value="block">Block (to Junk)</option>
            <option value="allow">Allow (never Junk)</option>
          </select>
        </label>
        <button type="submit" className="btn btn-primary">
          Add
        </button>
      </form>
      {(['block', 'allow'] as const).map((k) => (
        <section key={k} className="settings-section" aria-labelledby={`senders-${k}`}>
          <h2 id={`senders-${k}`}>{k === 'block' ? 'Blocked senders (mail goes to Junk)' : 'Allowed senders (never Junk)'}</h2>
          {data && list(k).length === 0 && <p className="muted">None.</p>}
          <ul className="rules-list">
            {list(k).map((s) => (
              <li key={s.id}>
                <span>{s.pattern}</span>
                <button
                  type="button"
                  className="btn"
                  onClick={() => void remove(s.id, s.pattern)}
                  aria-label={`${k === 'block' ? 'Unblock' : 'Remove'} ${s.pattern}`}
                >
                  {k === 'block' ? 'Unblock' : 'Remove'}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
