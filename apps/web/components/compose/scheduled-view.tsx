'use client';

/**
 * /mail/scheduled: sends waiting for their time (scheduled ones, and undo windows still open),
 * with "Cancel send" (back to Drafts) and "Edit" (cancel, then open the draft in compose).
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, type ScheduledMessage } from '@/lib/api';
import { formatFullDate } from '@/lib/format';
import { useMail } from '../mail/mail-store';
import { useCompose } from './compose-context';

export function ScheduledView() {
  const { reportError, refreshMailboxes } = useMail();
  const { openDraft, notify } = useCompose();
  const [items, setItems] = useState<ScheduledMessage[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const res = await api.listScheduled(signal);
        if (!signal?.aborted) setItems(res.items);
      } catch (err) {
        if (!signal?.aborted) {
          setItems((prev) => prev ?? []);
          reportError(err);
        }
      }
    },
    [reportError],
  );
  useEffect(() => {
    document.title = 'Scheduled · Correio';
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const cancel = async (item: ScheduledMessage, thenEdit: boolean) => {
    setBusy(item.queueId);
    try {
      const { draftId } = await api.cancelSend(item.queueId, item.sentId);
      setItems((prev) => prev?.filter((i) => i.queueId !== item.queueId) ?? null);
      void refreshMailboxes();
      if (thenEdit && draftId) await openDraft(draftId);
      else notify({ text: 'Send cancelled. The message is in Drafts.' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        notify({ text: 'Too late: this message is already being sent.', kind: 'error' });
        void load();
      } else reportError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="scheduled-pane" aria-labelledby="scheduled-title">
      <header className="list-header">
        <h1 className="list-title" id="scheduled-title">
          Scheduled
        </h1>
      </header>
      {items === null && <p className="pane-message muted">Loading…</p>}
      {items?.length === 0 && (
        <div className="list-empty" data-testid="scheduled-empty">
          <p className="list-empty-title">Nothing scheduled</p>
          <p className="muted">Messages you schedule wait here until they are sent.</p>
        </div>
      )}
      {items && items.length > 0 && (
        <ul className="scheduled-list" data-testid="scheduled-list">
          {items.map((item) => (
            <li key={item.queueId} className="scheduled-item" data-testid="scheduled-item">
              <div className="scheduled-text">
                <span className="scheduled-subject">{item.subject || '(no subject)'}</span>
                <span className="muted">To: {item.to.join(', ')}</span>
                <time className="muted" dateTime={item.sendAt}>
                  Sends {formatFullDate(item.sendAt)}
                </time>
              </div>
              <div className="scheduled-actions">
                <button type="button" className="btn" disabled={busy === item.queueId} onClick={() => void cancel(item, true)}>
                  Edit
                </button>
                <button type="button" className="btn" disabled={busy === item.queueId} onClick={() => void cancel(item, false)}>
                  Cancel send
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
