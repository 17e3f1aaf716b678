'use client';

/** /admin/audit: every admin action (who, what, when, from where), newest first, filterable, read-only. */
import type { AuditEntry } from '@correio/contracts';
import { useCallback, useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi, formatWhen } from './admin-api';
import { useAdmin } from './admin-shell';

export function AuditView() {
  const { reportError } = useAdmin();
  const [form, setForm] = useState({ actor: '', action: '' });
  const [filter, setFilter] = useState({ actor: '', action: '' });
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);

  const fetchPage = useCallback(
    (cursor: string | null) => adminApi.audit({ actor: filter.actor || undefined, action: filter.action || undefined, cursor }),
    [filter],
  );
  useEffect(() => {
    fetchPage(null).then(
      (p) => {
        setEntries(p.entries);
        setNext(p.nextCursor);
      },
      reportError,
    );
  }, [fetchPage, reportError]);

  const more = async () => {
    try {
      const p = await fetchPage(next);
      setEntries((e) => [...(e ?? []), ...p.entries]);
      setNext(p.nextCursor);
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h">Audit log</h1>
      <form
        className={styles.form}
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ actor: form.actor.trim(), action: form.action.trim() });
        }}
      >
        <label className={styles.field}>
          Who (admin address)
          <input className={styles.input} value={form.actor} onChange={(e) => setForm({ ...form, actor: e.target.value })} />
        </label>
        <label className={styles.field}>
          Action (e.g. account.create)
          <input className={styles.input} value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })} />
        </label>
        <button type="submit" className="btn">
          Apply filters
        </button>
      </form>
      {entries === null && <p className="muted">Loading…</p>}
      {entries?.length === 0 && <p className="muted">No entries match.</p>}
      {entries && entries.length > 0 && (
        <table className={styles.table} aria-label="Audit log entries">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">From</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <td>{formatWhen(e.at)}</td>
                <td>{e.actorAddress}</td>
                <td>{e.action}</td>
                <td>{e.target ?? '—'}</td>
                <td className={styles.mono}>{e.ip ?? '—'}</td>
                <td className={styles.mono}>{Object.keys(e.details).length ? JSON.stringify(e.details) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" className="btn" style={{ marginTop: 12 }} onClick={() => void more()}>
          Show more
        </button>
      )}
    </section>
  );
}
