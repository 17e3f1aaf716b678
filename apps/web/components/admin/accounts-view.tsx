'use client';

/** /admin/accounts: search, paging, usage against quota, last login, state; create and manage. */
import type { AdminAccount } from '@correio/contracts';
import { Fragment, useCallback, useEffect, useState } from 'react';
import { AccountCreateForm } from './account-create-form';
import { AccountEditor } from './account-editor';
import styles from './admin.module.css';
import { adminApi, formatBytes, formatWhen } from './admin-api';
import { useAdmin } from './admin-shell';
import { CopyButton } from './copy-button';

const PAGE = 25;

export function AccountsView() {
  const { notify, reportError } = useAdmin();
  const [q, setQ] = useState('');
  const [search, setSearch] = useState('');
  // Cursors of the pages seen so far: [null (first page), cursor of page 2, ...].
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ accounts: AdminAccount[]; nextCursor: string | null } | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [created, setCreated] = useState<{ address: string; password: string } | null>(null);
  // Bumped by every search submit: the same search again fetches the list again.
  const [round, setRound] = useState(0);
  const cursor = cursors[cursors.length - 1] ?? null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` asks for the same page again
  const load = useCallback(async () => {
    try {
      setPage(await adminApi.accounts({ q: search || undefined, cursor, limit: PAGE }));
    } catch (err) {
      reportError(err);
    }
  }, [search, cursor, round, reportError]);
  useEffect(() => {
    void load();
  }, [load]);

  const replace = (a: AdminAccount | null) => {
    if (a) setPage((p) => p && { ...p, accounts: p.accounts.map((x) => (x.address === a.address ? a : x)) });
  };

  return (
    <section aria-labelledby="accounts-h">
      <h1 id="accounts-h">Accounts</h1>
      <h2>New account</h2>
      <AccountCreateForm
        onCreated={(address, password) => {
          notify(`Account ${address} created`);
          setCreated(password ? { address, password } : null);
          void load();
        }}
      />
      {created && (
        <div className={styles.notice} role="status">
          Password for {created.address} (shown only now): <code data-testid="generated-password">{created.password}</code>{' '}
          <CopyButton text={created.password} what={`the password of ${created.address}`} />{' '}
          <button type="button" className={`btn ${styles.small}`} onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}
      <h2>All accounts</h2>
      <form
        className={styles.form}
        aria-label="Find accounts"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(q.trim());
          setCursors([null]);
          setRound((r) => r + 1);
        }}
      >
        <label className={styles.field}>
          Search accounts
          <input className={styles.input} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="address or name" />
        </label>
        <button type="submit" className="btn">
          Search
        </button>
      </form>
      {page === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className={styles.table} aria-label="Accounts">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Usage</th>
              <th scope="col">Last login</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.accounts.map((a) => (
              <Fragment key={a.address}>
                <tr data-testid="account-row" data-address={a.address}>
                  <td>
                    {a.address}
                    {a.displayName && <div className="muted">{a.displayName}</div>}
                    {a.role === 'admin' && <div className="muted">Administrator</div>}
                  </td>
                  <td>
                    <Usage used={a.usedBytes} quota={a.quotaBytes} address={a.address} />
                  </td>
                  <td>{formatWhen(a.lastLoginAt)}</td>
                  <td>{a.deletePending ? 'Being deleted' : a.disabled ? 'Disabled' : 'Active'}</td>
                  <td>
                    <button
                      type="button"
                      className={`btn ${styles.small}`}
                      aria-expanded={open === a.address}
                      aria-label={`Manage ${a.address}`}
                      onClick={() => setOpen(open === a.address ? null : a.address)}
                    >
                      Manage
                    </button>
                  </td>
                </tr>
                {open === a.address && (
                  <tr>
                    <td colSpan={5}>
                      <AccountEditor account={a} onChanged={replace} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {page?.accounts.length === 0 && <p className="muted">No accounts match.</p>}
      <nav className={styles.actions} aria-label="Account pages" style={{ marginTop: 12 }}>
        <button type="button" className="btn" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" className="btn" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor])}>
          Next page
        </button>
      </nav>
    </section>
  );
}

function Usage({ used, quota, address }: { used: string; quota: string; address: string }) {
  const q = Number(quota);
  const share = q > 0 ? Math.min(1, Number(used) / q) : 0;
  if (q === 0) return <span>{formatBytes(used)} (no quota)</span>;
  return (
    <div>
      <div className={styles.usage} aria-hidden="true" title={`${Math.round(share * 100)}% of the quota of ${address}`}>
        <div className={`${styles.usageFill}${share >= 0.9 ? ` ${styles.usageHigh}` : ''}`} style={{ width: `${share * 100}%` }} />
      </div>
      <span className="muted">
        {formatBytes(used)} of {formatBytes(quota)} ({Math.round(share * 100)}%)
      </span>
    </div>
  );
}
