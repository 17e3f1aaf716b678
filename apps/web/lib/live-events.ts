/**
 * The account's server-sent event stream (GET /api/v1/events) folded into what the open webmail
 * must do: re-read the list and counts, tell the user about new mail. Pure: the hook in
 * components/mail/use-live-updates.ts feeds it EventSource messages.
 *
 * Events carry `{ type, timestamp, data }` (the webhook body). Outbox events (message.received,
 * message.sent, delivery.*) have an `id:`, which EventSource sends back as Last-Event-ID when it
 * reconnects, so none is missed; `mailbox.changed` is stream-only (no id) and reports flag changes,
 * moves, expunges and new mail from IMAP, POP3 or another tab with the mailbox's new modseq.
 */
export interface LiveEvent {
  /** The SSE `event:` field (EventSource's MessageEvent.type). */
  type: string;
  /** The SSE `id:` field; '' for stream-only events. */
  lastEventId: string;
  data: string;
}

export interface NewMail {
  messageId: string | null;
  mailboxId: string | null;
  from: string;
  subject: string;
}

export interface LiveState {
  /** Outbox events already handled (a resumed stream may repeat the last one). */
  lastEventId: string | null;
  /** Highest modseq seen per mailbox: an older (re-ordered or repeated) change is not news. */
  modseqs: Readonly<Record<string, string>>;
}

export interface LiveEffects {
  /** Re-read the open list's first page (the view may show any mailbox: conversations span them). */
  refreshList: boolean;
  /** Re-read unread counts (sidebar, tab title). */
  refreshCounts: boolean;
  /** A message arrived: desktop notification material. */
  newMail: NewMail | null;
}

export const INITIAL_LIVE: LiveState = { lastEventId: null, modseqs: {} };
const NOTHING: LiveEffects = { refreshList: false, refreshCounts: false, newMail: null };

/** Event types that change what a list or a count shows. */
const MAIL_CHANGING = new Set([
  'message.received',
  'message.sent',
  'mailbox.changed',
  'message.updated',
  'message.moved',
  'message.deleted',
]);

function parseData(data: string): Record<string, unknown> {
  try {
    const body: unknown = JSON.parse(data);
    if (body && typeof body === 'object') {
      const inner = (body as { data?: unknown }).data;
      return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : (body as Record<string, unknown>);
    }
  } catch {
    // A malformed event is ignored rather than breaking the stream.
  }
  return {};
}

const str = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' ? String(v) : null);

/** Compares decimal strings (modseqs are 63-bit: past Number's exact range). */
function isNewer(a: string, b: string | undefined): boolean {
  if (b === undefined) return true;
  return a.length !== b.length ? a.length > b.length : a > b;
}

function senderText(from: unknown): string {
  if (typeof from === 'string') return from;
  if (from && typeof from === 'object') {
    const f = from as { name?: unknown; address?: unknown };
    return (typeof f.name === 'string' && f.name.trim()) || (typeof f.address === 'string' ? f.address : '');
  }
  return '';
}

export function reduceLiveEvent(state: LiveState, ev: LiveEvent): { state: LiveState; effects: LiveEffects } {
  // EventSource gives every event the stream's *last event ID buffer* (HTML §9.2.6): an event
  // without an `id:` line — every mailbox.changed — carries the id of the outbox event before it.
  // So only outbox events are told apart by id; a mailbox.changed by its modseq (below). (Treating
  // its inherited id as a repeat dropped every flag change that followed new mail.)
  const hasOwnId = ev.type !== 'mailbox.changed' && ev.lastEventId !== '';
  if (hasOwnId && ev.lastEventId === state.lastEventId) return { state, effects: NOTHING };
  const next: LiveState = hasOwnId ? { ...state, lastEventId: ev.lastEventId } : state;
  if (!MAIL_CHANGING.has(ev.type)) return { state: next, effects: NOTHING };
  const data = parseData(ev.data);
  const mailboxId = str(data.mailboxId);

  if (ev.type === 'mailbox.changed') {
    const modseq = str(data.modseq ?? data.highestModseq);
    if (mailboxId && modseq) {
      if (!isNewer(modseq, next.modseqs[mailboxId])) return { state: next, effects: NOTHING };
      return {
        state: { ...next, modseqs: { ...next.modseqs, [mailboxId]: modseq } },
        effects: { refreshList: true, refreshCounts: true, newMail: null },
      };
    }
    return { state: next, effects: { refreshList: true, refreshCounts: true, newMail: null } };
  }

  const newMail: NewMail | null =
    ev.type === 'message.received'
      ? {
          messageId: str(data.messageId ?? data.id),
          mailboxId,
          from: senderText(data.from),
          subject: typeof data.subject === 'string' ? data.subject : '',
        }
      : null;
  return { state: next, effects: { refreshList: true, refreshCounts: true, newMail } };
}

/** The tab title Gmail-style: "Inbox (3) · Correio"; no number when nothing is unread. */
export function tabTitle(viewName: string, unread: number): string {
  return `${viewName}${unread > 0 ? ` (${unread.toLocaleString('en-US')})` : ''} · Correio`;
}
