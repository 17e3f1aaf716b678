'use client';

/** /admin: traffic over 24 h and 30 days, the queue, storage per domain, accounts near quota, failed logins, each role's state. */
import type { AdminOverview } from '@correio/contracts';
import Link from 'next/link';
import { useCallback, useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi, formatBytes, formatWhen } from './admin-api';
import { useAdmin } from './admin-shell';
import { TrafficChart } from './traffic-chart';

const ROLE_NAMES = { smtp: 'SMTP (MX)', submission: 'Submission', imap: 'IMAP', pop3: 'POP3', delivery: 'Delivery worker', database: 'Database' };

export function OverviewView() {
  const { reportError } = useAdmin();
  const [data, setData] = useState<AdminOverview | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setData(await adminApi.overview(signal));
      } catch (err) {
        if (!signal?.aborted) reportError(err);
      }
    },
    [reportError],
  );
  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  if (!data) return <p className="muted">Loading…</p>;
  const { traffic, queue } = data;
  return (
    <section aria-labelledby="overview-h">
      <h1 id="overview-h">Overview</h1>
      <div className={styles.grid}>
        {(['received', 'sent', 'deferred', 'bounced'] as const).map((k) => (
          <div key={k} className={styles.card}>
            <div className="muted">{k[0]!.toUpperCase() + k.slice(1)} (24 h)</div>
            <div className={styles.stat} data-testid={`stat-${k}`}>
              {traffic.last24h[k]}
            </div>
            <div className="muted">{traffic.last30d[k]} in 30 days</div>
          </div>
        ))}
      </div>
      <div className={styles.grid}>
        <div className={styles.card}>
          <h2>Last 24 hours</h2>
          <TrafficChart points={traffic.hourly} title="Messages per hour, last 24 hours" tick={(at) => `${new Date(at).getHours()}:00`} />
        </div>
        <div className={styles.card}>
          <h2>Last 30 days</h2>
          <TrafficChart points={traffic.daily} title="Messages per day, last 30 days" tick={(at) => new Date(at).toLocaleDateString()} />
        </div>
      </div>
      <div className={styles.grid}>
        <div className={styles.card}>
          <h2>Queue</h2>
          <p>
            <span className={styles.stat} data-testid="queue-depth">
              {queue.depth}
            </span>{' '}
            recipients waiting
          </p>
          <p className="muted">Oldest entry: {formatWhen(queue.oldestAt)}</p>
          <Link href="/admin/queue">Open the queue</Link>
        </div>
        <div className={styles.card}>
          <h2>Failed logins</h2>
          <p className={styles.stat} data-testid="failed-logins">
            {data.failedLogins}
          </p>
          <p className="muted">in the last 24 hours, on every protocol</p>
        </div>
      </div>
      <div className={styles.card}>
        <h2>Services</h2>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Address</th>
              <th scope="col">State</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {data.roles.map((r) => (
              <tr key={r.role}>
                <td>{ROLE_NAMES[r.role]}</td>
                <td className={styles.mono}>{r.address}</td>
                <td className={styles[r.state]}>{r.state === 'up' ? 'Up' : r.state === 'down' ? 'Down' : 'Off'}</td>
                <td>{r.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className={styles.grid}>
        <div className={styles.card}>
          <h2>Storage per domain</h2>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Accounts</th>
                <th scope="col">Used</th>
              </tr>
            </thead>
            <tbody>
              {data.storage.map((d) => (
                <tr key={d.domain}>
                  <td>{d.domain}</td>
                  <td>{d.accounts}</td>
                  <td>{formatBytes(d.usedBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className={styles.card}>
          <h2>Accounts near their quota</h2>
          {data.nearQuota.length === 0 ? (
            <p className="muted">No account uses more than 90% of its quota.</p>
          ) : (
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Used of quota</th>
                </tr>
              </thead>
              <tbody>
                {data.nearQuota.map((a) => (
                  <tr key={a.address}>
                    <td>{a.address}</td>
                    <td>
                      {formatBytes(a.usedBytes)} of {formatBytes(a.quotaBytes)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      <p className="muted">Figures as of {formatWhen(data.generatedAt)}.</p>
    </section>
  );
}
