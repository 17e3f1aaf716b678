'use client';

/** /admin/domains: add, list, remove (only when empty — the API's 409 says why), and each domain's DNS. */
import type { DomainSummary } from '@correio/contracts';
import { useCallback, useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi } from './admin-api';
import { useAdmin } from './admin-shell';
import { DomainRecords } from './domain-records';

export function DomainsView() {
  const { notify, reportError } = useAdmin();
  const [domains, setDomains] = useState<DomainSummary[] | null>(null);
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setDomains(await adminApi.domains());
    } catch (err) {
      reportError(err);
    }
  }, [reportError]);
  useEffect(() => {
    void load();
  }, [load]);

  const add = async () => {
    const n = name.trim().toLowerCase();
    if (!n) return;
    try {
      await adminApi.addDomain(n);
      notify(`Domain ${n} added`);
      setName('');
      setSelected(n);
      await load();
    } catch (err) {
      reportError(err);
    }
  };

  const remove = async (d: DomainSummary) => {
    if (d.accounts > 0) {
      reportError(new Error(`${d.name} still has ${d.accounts} account(s): delete or move them first.`));
      return;
    }
    if (!window.confirm(`Remove the domain ${d.name}? Its aliases and DKIM keys are removed too.`)) return;
    try {
      await adminApi.removeDomain(d.name);
      notify(`Domain ${d.name} removed`);
      if (selected === d.name) setSelected(null);
      await load();
    } catch (err) {
      reportError(err);
    }
  };

  const current = domains?.find((d) => d.name === selected) ?? null;
  return (
    <section aria-labelledby="domains-h">
      <h1 id="domains-h">Domains</h1>
      <form
        className={styles.form}
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className={styles.field}>
          New domain
          <input className={styles.input} value={name} onChange={(e) => setName(e.target.value)} placeholder="example.org" required />
        </label>
        <button type="submit" className="btn btn-primary">
          Add domain
        </button>
      </form>
      {domains === null && <p className="muted">Loading…</p>}
      {domains?.length === 0 && <p className="muted">No domains yet.</p>}
      {domains && domains.length > 0 && (
        <table className={styles.table} aria-label="Domains">
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Accounts</th>
              <th scope="col">Aliases</th>
              <th scope="col">Catch-all</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {domains.map((d) => (
              <tr key={d.name} data-testid="domain-row">
                <td>{d.name}</td>
                <td>{d.accounts}</td>
                <td>{d.aliases}</td>
                <td>{d.catchAll ?? '—'}</td>
                <td className={styles.actions}>
                  <button type="button" className={`btn ${styles.small}`} aria-label={`DNS records for ${d.name}`} onClick={() => setSelected(d.name)}>
                    DNS records
                  </button>
                  <button
                    type="button"
                    className={`btn ${styles.small}`}
                    aria-label={`Remove domain ${d.name}`}
                    title={d.accounts > 0 ? `Has ${d.accounts} account(s): remove them first` : undefined}
                    onClick={() => void remove(d)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {current && <DomainRecords key={current.name} domain={current} onChanged={() => void load()} />}
    </section>
  );
}
