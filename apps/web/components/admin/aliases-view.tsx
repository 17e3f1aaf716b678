'use client';

/** /admin/aliases: an address delivering to one or many destinations (local or external); edit, remove. */
import type { AdminAlias } from '@correio/contracts';
import { useCallback, useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi } from './admin-api';
import { useAdmin } from './admin-shell';

const split = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function AliasesView() {
  const { notify, reportError } = useAdmin();
  const [aliases, setAliases] = useState<AdminAlias[] | null>(null);
  const [address, setAddress] = useState('');
  const [destinations, setDestinations] = useState('');
  const [editing, setEditing] = useState<{ address: string; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setAliases((await adminApi.aliases()).aliases);
    } catch (err) {
      reportError(err);
    }
  }, [reportError]);
  useEffect(() => {
    void load();
  }, [load]);

  const create = async () => {
    try {
      const a = await adminApi.createAlias(address.trim(), split(destinations));
      notify(`Alias ${a.address} → ${a.destinations.join(', ')}`);
      setAddress('');
      setDestinations('');
      await load();
    } catch (err) {
      reportError(err);
    }
  };

  const save = async () => {
    if (!editing) return;
    try {
      const a = await adminApi.replaceAlias(editing.address, split(editing.text));
      notify(`Alias ${a.address} now goes to ${a.destinations.join(', ')}`);
      setEditing(null);
      await load();
    } catch (err) {
      reportError(err);
    }
  };

  const remove = async (a: AdminAlias) => {
    if (!window.confirm(`Remove the alias ${a.address}? Mail to it will be refused.`)) return;
    try {
      await adminApi.removeAlias(a.address);
      notify(`Alias ${a.address} removed`);
      await load();
    } catch (err) {
      reportError(err);
    }
  };

  return (
    <section aria-labelledby="aliases-h">
      <h1 id="aliases-h">Aliases</h1>
      <form
        className={styles.form}
        aria-label="Create an alias"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label className={styles.field}>
          Alias address
          <input className={styles.input} type="email" value={address} onChange={(e) => setAddress(e.target.value)} required placeholder="sales@example.org" />
        </label>
        <label className={styles.field}>
          Destinations (separated by commas or lines)
          <textarea className={styles.input} style={{ height: 60, paddingTop: 6 }} value={destinations} onChange={(e) => setDestinations(e.target.value)} required />
        </label>
        <button type="submit" className="btn btn-primary">
          Create alias
        </button>
      </form>
      {aliases === null && <p className="muted">Loading…</p>}
      {aliases?.length === 0 && <p className="muted">No aliases yet.</p>}
      {aliases && aliases.length > 0 && (
        <table className={styles.table} aria-label="Aliases">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Destinations</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {aliases.map((a) => (
              <tr key={a.address} data-testid="alias-row">
                <td>{a.address}</td>
                <td>
                  {editing?.address === a.address ? (
                    <label className={styles.field}>
                      Destinations of {a.address}
                      <textarea
                        className={styles.input}
                        style={{ height: 60, paddingTop: 6 }}
                        value={editing.text}
                        onChange={(e) => setEditing({ address: a.address, text: e.target.value })}
                      />
                    </label>
                  ) : (
                    a.destinations.join(', ')
                  )}
                </td>
                <td className={styles.actions}>
                  {editing?.address === a.address ? (
                    <>
                      <button type="button" className={`btn ${styles.small}`} onClick={() => void save()}>
                        Save
                      </button>
                      <button type="button" className={`btn ${styles.small}`} onClick={() => setEditing(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button
                      type="button"
                      className={`btn ${styles.small}`}
                      aria-label={`Edit alias ${a.address}`}
                      onClick={() => setEditing({ address: a.address, text: a.destinations.join('\n') })}
                    >
                      Edit
                    </button>
                  )}
                  <button type="button" className={`btn ${styles.small}`} aria-label={`Remove alias ${a.address}`} onClick={() => void remove(a)}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
