'use client';

/** /admin/queue: filters, the entries, a detail with each attempt, and actions on one or on the selection. */
import type { QueueEntrySummary } from '@correio/contracts';
import { useCallback, useEffect, useState } from 'react';
import styles from './admin.module.css';
import { adminApi, formatWhen, type QueueFilter } from './admin-api';
import { useAdmin } from './admin-shell';
import { QueueDetail } from './queue-detail';

type Action = 'retry' | 'hold' | 'release' | 'delete';
const ACTION_LABEL: Record<Action, string> = { retry: 'Retry now', hold: 'Hold', release: 'Release', delete: 'Delete' };
const STATES = ['queued', 'deferred', 'held', 'delivered', 'bounced', 'cancelled'];

export function QueueView() {
  const { notify, reportError } = useAdmin();
  const [form, setForm] = useState<QueueFilter>({});
  const [filter, setFilter] = useState<QueueFilter>({});
  const [items, setItems] = useState<QueueEntrySummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const load = useCallback(async () => {
    try {
      const page = await adminApi.queue(filter);
      setItems(page.items);
      setNext(page.nextCursor);
      setSelected((s) => new Set([...s].filter((id) => page.items.some((i) => i.id === id))));
    } catch (err) {
      reportError(err);
    }
  }, [filter, reportError]);
  useEffect(() => {
    void load();
  }, [load]);

  const more = async () => {
    if (!next) return;
    try {
      const page = await adminApi.queue({ ...filter, cursor: next });
      setItems((i) => [...(i ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (err) {
      reportError(err);
    }
  };

  const act = async (ids: string[], action: Action) => {
    if (ids.length === 0) return;
    if (action === 'delete' && !window.confirm(`Delete ${ids.length} queued message(s)? They will not be delivered, and no bounce is sent.`)) return;
    let changed = 0;
    const failed: string[] = [];
    for (const id of ids) {
      try {
        if (action === 'delete') {
          await adminApi.queueDelete(id);
          changed++;
        } else changed += (await adminApi.queueAction(id, action)).changed;
      } catch (err) {
        failed.push(`${id}: ${err instanceof Error ? err.message : 'failed'}`);
      }
    }
    if (failed.length) reportError(new Error(`${ACTION_LABEL[action]} failed for ${failed.join('; ')}`));
    else if (changed === 0) notify(`${ACTION_LABEL[action]}: nothing to change (already done, finished, or being delivered right now)`);
    else notify(`${ACTION_LABEL[action]}: ${action === 'delete' ? `${changed} message(s)` : `${changed} recipient(s)`} changed`);
    if (action === 'delete' && open && ids.includes(open)) setOpen(null);
    setVersion((v) => v + 1);
    await load();
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const allSelected = !!items && items.length > 0 && items.every((i) => selected.has(i.id));

  return (
    <section aria-labelledby="queue-h">
      <h1 id="queue-h">Queue</h1>
      <form
        className={styles.form}
        aria-label="Filter the queue"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ state: form.state || undefined, domain: form.domain?.trim() || undefined, sender: form.sender?.trim() || undefined });
        }}
      >
        <label className={styles.field}>
          State
          <select className={styles.input} value={form.state ?? ''} onChange={(e) => setForm({ ...form, state: e.target.value })}>
            <option value="">Any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          Recipient domain
          <input className={styles.input} value={form.domain ?? ''} onChange={(e) => setForm({ ...form, domain: e.target.value })} />
        </label>
        <label className={styles.field}>
          Envelope sender
          <input className={styles.input} value={form.sender ?? ''} onChange={(e) => setForm({ ...form, sender: e.target.value })} />
        </label>
        <button type="submit" className="btn">
          Apply filters
        </button>
        <button type="button" className="btn" onClick={() => void load()}>
          Refresh
        </button>
      </form>
      <fieldset className={styles.actions} style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="sr-only">Actions on the selected messages</legend>
        {(Object.keys(ACTION_LABEL) as Action[]).map((a) => (
          <button key={a} type="button" className={`btn ${styles.small}`} disabled={selected.size === 0} onClick={() => void act([...selected], a)}>
            {ACTION_LABEL[a]} selected ({selected.size})
          </button>
        ))}
      </fieldset>
      {items === null && <p className="muted">Loading…</p>}
      {items?.length === 0 && <p className="muted">Nothing in the queue matches.</p>}
      {items && items.length > 0 && (
        <table className={styles.table} aria-label="Queued messages" style={{ marginTop: 12 }}>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select every message shown"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.id)))}
                />
              </th>
              <th scope="col">Message</th>
              <th scope="col">Sender</th>
              <th scope="col">Recipients</th>
              <th scope="col">Queued</th>
              <th scope="col">Next attempt</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} data-testid="queue-row" data-id={e.id}>
                <td>
                  <input type="checkbox" aria-label={`Select message ${e.id}`} checked={selected.has(e.id)} onChange={() => toggle(e.id)} />
                </td>
                <td>{e.id}</td>
                <td>{e.sender || '<>'}</td>
                <td>
                  {e.recipients} ·{' '}
                  {Object.entries(e.states)
                    .filter(([, n]) => n > 0)
                    .map(([s, n]) => `${n} ${s}`)
                    .join(', ')}
                </td>
                <td>{formatWhen(e.createdAt)}</td>
                <td>{formatWhen(e.nextAttemptAt)}</td>
                <td className={styles.actions}>
                  <button type="button" className={`btn ${styles.small}`} aria-label={`Details of message ${e.id}`} aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                    Details
                  </button>
                  {(Object.keys(ACTION_LABEL) as Action[]).map((a) => (
                    <button key={a} type="button" className={`btn ${styles.small}`} aria-label={`${ACTION_LABEL[a]}: message ${e.id}`} onClick={() => void act([e.id], a)}>
                      {ACTION_LABEL[a]}
                    </button>
                  ))}
                </td>
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
      {open && <QueueDetail id={open} version={version} />}
    </section>
  );
}
