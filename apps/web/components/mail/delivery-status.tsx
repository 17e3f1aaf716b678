'use client';

/**
 * "Delivery status" of a sent message: each recipient's state from the outbound queue, polled
 * every 3 s while any of them may still change.
 */
import { useEffect, useState } from 'react';
import { ApiError, api, type RecipientDelivery } from '@/lib/api';
import { formatFullDate } from '@/lib/format';

const POLL_MS = 3000;
const FINAL = new Set<RecipientDelivery['state']>(['delivered', 'bounced', 'cancelled']);

function stateText(r: RecipientDelivery): string {
  switch (r.state) {
    case 'scheduled':
      return r.nextAttemptAt ? `Scheduled for ${formatFullDate(r.nextAttemptAt)}` : 'Scheduled';
    case 'queued':
      return 'Queued';
    case 'deferred':
      return r.nextAttemptAt ? `Deferred — next attempt ${formatFullDate(r.nextAttemptAt)}` : 'Deferred';
    case 'delivered':
      return 'Delivered';
    case 'bounced':
      return 'Bounced';
    case 'held':
      return 'Held';
    case 'cancelled':
      return 'Cancelled';
  }
}

export function DeliveryStatus({ messageId }: { messageId: string }) {
  const [recipients, setRecipients] = useState<RecipientDelivery[] | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      api.deliveryStatus(messageId, ctrl.signal).then(
        (res) => {
          if (ctrl.signal.aborted) return;
          setRecipients(res.recipients);
          if (res.recipients.some((r) => !FINAL.has(r.state))) timer = setTimeout(load, POLL_MS);
        },
        (err: unknown) => {
          if (ctrl.signal.aborted) return;
          // 404: not sent through this server's queue (nothing to show); otherwise try again later.
          if (!(err instanceof ApiError && (err.isNotFound || err.isUnauthorized))) timer = setTimeout(load, POLL_MS * 3);
        },
      );
    };
    load();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [messageId]);

  if (!recipients || recipients.length === 0) return null;
  return (
    <section className="delivery-status" aria-label="Delivery status">
      <h2 className="delivery-title">Delivery status</h2>
      <ul className="delivery-list">
        {recipients.map((r) => (
          <li key={r.address} className={`delivery-item state-${r.state}`}>
            <span className="delivery-address">{r.address}</span>
            <span className={`delivery-state state-${r.state}`}>{stateText(r)}</span>
            {(r.explanation || r.lastReply) && (
              <span className="delivery-reply muted">
                {r.explanation}
                {r.explanation && r.lastReply ? ' — ' : ''}
                {r.lastReply && <code>{r.lastReply}</code>}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
