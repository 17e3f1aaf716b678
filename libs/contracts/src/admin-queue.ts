import { z } from 'zod';

/**
 * The admin queue API (/api/v1/admin/queue, admin role only): the outbound queue's entries (one per
 * queued message), their recipients and each recipient's attempt history.
 */

/** 'cancelled': undo send / a scheduled send cancelled before it started. */
export const QueueRecipientState = z.enum(['queued', 'deferred', 'delivered', 'bounced', 'held', 'cancelled']);
export type QueueRecipientState = z.infer<typeof QueueRecipientState>;

export const QueueListQuery = z.strictObject({
  /** Entries with at least one recipient in this state. */
  state: QueueRecipientState.optional(),
  /** Entries with at least one recipient at this domain. */
  domain: z.string().min(1).max(253).regex(/^[^\s@]+$/, 'a domain name, without @').optional(),
  /** Envelope sender, exactly (case-insensitive); "<>" for the null sender (bounces). */
  sender: z.string().min(1).max(320).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** nextCursor of the previous page (entries are listed newest first). */
  cursor: z.string().regex(/^[1-9]\d{0,18}$/, 'a cursor from a previous page').optional(),
});
export type QueueListQuery = z.infer<typeof QueueListQuery>;

export const QueueStateCounts = z.object({
  queued: z.number().int(),
  deferred: z.number().int(),
  delivered: z.number().int(),
  bounced: z.number().int(),
  held: z.number().int(),
});

export const QueueEntrySummary = z.object({
  id: z.string(),
  accountId: z.string(),
  /** Envelope sender ('' is the null sender <>). */
  sender: z.string(),
  size: z.number().int(),
  createdAt: z.string(),
  /** Not sent before (scheduled send, undo-send wait). */
  notBefore: z.string(),
  /** Recipients still failing temporarily are bounced then. */
  expiresAt: z.string(),
  recipients: z.number().int(),
  states: QueueStateCounts,
  /** The earliest next attempt of a waiting recipient; null when none waits. */
  nextAttemptAt: z.string().nullable(),
});
export type QueueEntrySummary = z.infer<typeof QueueEntrySummary>;

export const QueueEntryList = z.object({ items: z.array(QueueEntrySummary), nextCursor: z.string().nullable() });
export type QueueEntryList = z.infer<typeof QueueEntryList>;

export const QueueRecipientView = z.object({
  id: z.string(),
  address: z.string(),
  domain: z.string(),
  state: QueueRecipientState,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastReply: z.string().nullable(),
  /** A worker is delivering to it right now. */
  inProgress: z.boolean(),
  /** RFC 3461 NOTIFY as given (e.g. "FAILURE,DELAY"), null when absent. */
  notify: z.string().nullable(),
  /** When the failure DSN to the sender was made, if any. */
  failureNotifiedAt: z.string().nullable(),
  delayNotifiedAt: z.string().nullable(),
});
export type QueueRecipientView = z.infer<typeof QueueRecipientView>;

export const QueueEntryDetail = QueueEntrySummary.extend({
  dsn: z.object({ ret: z.string().nullable(), envid: z.string().nullable() }),
  headers: z.object({
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    messageId: z.string().nullable(),
    date: z.string().nullable(),
  }),
  recipientList: z.array(QueueRecipientView),
});
export type QueueEntryDetail = z.infer<typeof QueueEntryDetail>;

export const QueueAttemptView = z.object({
  at: z.string(),
  result: QueueRecipientState,
  reply: z.string(),
  remoteHost: z.string().nullable(),
});
export const QueueAttemptList = z.object({ recipient: QueueRecipientView, items: z.array(QueueAttemptView) });
export type QueueAttemptList = z.infer<typeof QueueAttemptList>;

export const QueueActionResult = z.object({ id: z.string(), changed: z.number().int() });
export type QueueActionResult = z.infer<typeof QueueActionResult>;
