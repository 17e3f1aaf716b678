'use client';

/**
 * Live updates over GET /api/v1/events (server-sent events). EventSource reconnects by itself and
 * sends the last `id:` it saw as Last-Event-ID, so outbox events missed while disconnected are
 * replayed by the server; the reducer (lib/live-events.ts) drops repeats and stale modseqs. Bursts
 * (a bulk move is many changes) are coalesced into one re-read.
 *
 * Desktop notifications only when the user turned them on in Settings (permission is asked there,
 * on a click) and the tab is hidden.
 */
import { useEffect, useRef, useState } from 'react';
import { INITIAL_LIVE, type LiveEvent, type NewMail, reduceLiveEvent } from '@/lib/live-events';

const EVENT_TYPES = ['message.received', 'message.sent', 'mailbox.changed', 'message.updated', 'message.moved', 'message.deleted'];
/** Coalescing window: short enough that a change shows well within 2 s. */
const SETTLE_MS = 150;
export const NOTIFY_PREF = 'correio.notifications';

function showNotification(mail: NewMail): void {
  try {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (localStorage.getItem(NOTIFY_PREF) !== 'true' || document.visibilityState === 'visible') return;
    new Notification(mail.from || 'New mail', { body: mail.subject || '(no subject)', tag: mail.messageId ?? undefined });
  } catch {
    // Notifications are a nicety; never let them break the stream.
  }
}

/** Returns whether the stream is open (the caller polls while it isn't). */
export function useLiveUpdates({ onChange }: { onChange(): void }): boolean {
  const [isLive, setIsLive] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let state = INITIAL_LIVE;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const source = new EventSource('/api/v1/events');
    const onEvent = (e: MessageEvent<string>) => {
      const ev: LiveEvent = { type: e.type, lastEventId: e.lastEventId, data: e.data };
      const r = reduceLiveEvent(state, ev);
      state = r.state;
      if (r.effects.newMail) showNotification(r.effects.newMail);
      if (r.effects.refreshList || r.effects.refreshCounts) {
        clearTimeout(timer);
        timer = setTimeout(() => onChangeRef.current(), SETTLE_MS);
      }
    };
    for (const t of EVENT_TYPES) source.addEventListener(t, onEvent as EventListener);
    source.onopen = () => {
      setIsLive(true);
      // Reconnected after a gap: mailbox.changed events are not replayed, so re-read once.
      onChangeRef.current();
    };
    // EventSource retries on its own (the server says `retry: 2000`); CLOSED means it gave up
    // (e.g. 404 on a server without the stream): fall back to polling.
    source.onerror = () => setIsLive(source.readyState === EventSource.OPEN);
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);

  return isLive;
}
