'use client';

/** One queued message: headers, recipients with their state, and each recipient's attempts. */
import type { QueueAttemptList, QueueEntryDetail } from '@correio/contracts';
import { useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi, formatWhen } from './admin-api';
import { useAdmin } from './admin-shell';

export function QueueDetail({ id, version }: { id: string; version: number }) {
  const { reportError } = useAdmin();
  const [entry, setEntry] = useState<QueueEntryDetail | null>(null);
  const [attempts, setAttempts] = useState<Record<string, QueueAttemptList['items']>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes after an action on the entry: reload it then
  useEffect(() => {
    const ctl = new AbortController();
    adminApi.queueEntry(id, ctl.signal).then(
      async (e) => {
        setEntry(e);
        const lists = await Promise.all(e.recipientList.map((r) => adminApi.queueAttempts(id, r.id, ctl.signal)));
        setAttempts(Object.fromEntries(lists.map((l) => [l.recipient.id, l.items])));
      },
      (err: unknown) => {
        if (!ctl.signal.aborted) reportError(err);
      },
    );
    return () => ctl.abort();
  }, [id, version, reportError]);

  if (!entry) return <p className="muted">Loading…</p>;
  return (
    <section className={styles.card} aria-label={`Queued message ${id}`} data-testid="queue-detail">
      <h2>Message {id}</h2>
      <p>
        <strong>Subject:</strong> {entry.headers.subject || '(no subject)'} · <strong>From:</strong> {entry.headers.from} ·{' '}
        <strong>Envelope sender:</strong> {entry.sender || '<>'} · <strong>Size:</strong> {entry.size} bytes
      </p>
      <p className="muted">
        Queued {formatWhen(entry.createdAt)} · not before {formatWhen(entry.notBefore)} · gives up {formatWhen(entry.expiresAt)}
      </p>
      {entry.recipientList.map((r) => (
        <div key={r.id}>
          <h3 style={{ fontSize: 14, margin: '12px 0 4px' }}>
            {r.address}: {r.state}
            {r.inProgress ? ' (being delivered now)' : ''} · {r.attempts} attempt(s)
            {r.nextAttemptAt && r.state !== 'held' ? ` · next ${formatWhen(r.nextAttemptAt)}` : ''}
          </h3>
          {(attempts[r.id] ?? []).length === 0 ? (
            <p className="muted">No attempts yet.</p>
          ) : (
            <table className={styles.table} aria-label={`Attempts for ${r.address}`}>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Result</th>
                  <th scope="col">Remote host</th>
                  <th scope="col">Reply</th>
                </tr>
              </thead>
              <tbody>
                {(attempts[r.id] ?? []).map((a, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: attempts have no id and never reorder
                  <tr key={i} data-testid="queue-attempt">
                    <td>{formatWhen(a.at)}</td>
                    <td>{a.result}</td>
                    <td className={styles.mono}>{a.remoteHost ?? '—'}</td>
                    <td className={styles.mono}>{a.reply}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}
