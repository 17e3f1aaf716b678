import { z } from 'zod';

/**
 * Issue 13 items 4 and 5: account events, delivered by webhooks (Standard Webhooks signing) and by
 * the server-sent event stream GET /api/v1/events. Both carry the same event object:
 *   { "type": "message.received", "timestamp": "2026-12-10T09:30:00.123Z", "data": { … } }
 * The webhook's `webhook-id` header is `evt_<id>` and the stream's `id:` line is `<id>`, the event's
 * id in the account's outbox.
 */
export const WEBHOOK_EVENT_TYPES = ['message.received', 'message.sent', 'delivery.delivered', 'delivery.deferred', 'delivery.bounced'] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/**
 * Stream-only (never in the outbox, never sent to webhooks): a mailbox changed (new mail, flags,
 * expunges, moves — from IMAP, POP3, the webmail, another tab); the client re-reads what changed
 * since its last highestModseq (RFC 7162 style). No `id:` line: it does not move Last-Event-ID.
 */
export const MAILBOX_CHANGED_EVENT = 'mailbox.changed';

const Address = z.object({ name: z.string(), address: z.string() });

/** data of message.received: new mail in any mailbox of the account (MX, local delivery, a DSN). */
export const MessageReceivedData = z.object({
  mailbox: z.object({ id: z.string(), name: z.string() }),
  /** GET /api/v1/messages/:id */
  messageId: z.string(),
  uid: z.number().int(),
  threadId: z.string(),
  from: Address,
  subject: z.string(),
  /** The Message-ID header, or null. */
  messageIdHeader: z.string().nullable(),
  size: z.number().int(),
  receivedAt: z.string(),
});

/** data of message.sent: a message the account submitted was accepted (its Sent copy stored, remote recipients queued). */
export const MessageSentData = z.object({
  messageId: z.string().nullable(),
  messageIdHeader: z.string().nullable(),
  subject: z.string(),
  to: z.array(Address),
  cc: z.array(Address),
  /** GET /api/v1/messages/send/:queueId; null when every recipient was local. */
  queueId: z.string().nullable(),
  /** A scheduled or undo-able send waits until then. */
  notBefore: z.string().nullable(),
});

/** data of delivery.delivered / delivery.deferred / delivery.bounced: one attempt at one recipient. */
export const DeliveryEventData = z.object({
  queueId: z.string(),
  recipient: z.string(),
  status: z.enum(['delivered', 'deferred', 'bounced']),
  /** The remote server's reply (or ours, e.g. "connection to … failed"). */
  reply: z.string(),
  remoteHost: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** The sender's Sent copy, when the send stored one. */
  sentMessageId: z.string().nullable(),
});

export const AccountEvent = z.object({
  type: z.string(),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AccountEvent = z.infer<typeof AccountEvent>;

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'an http:// or https:// URL');

/** POST /api/v1/webhooks */
export const CreateWebhookRequest = z.object({
  url: WebhookUrl,
  events: z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequest>;

/** PATCH /api/v1/webhooks/:id */
export const UpdateWebhookRequest = z
  .object({
    url: WebhookUrl.optional(),
    events: z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => v.url !== undefined || v.events !== undefined || v.enabled !== undefined, 'nothing to change');
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequest>;

export const WebhookView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof WebhookView>;

/** The create answer: the only time the signing secret is shown. */
export const CreatedWebhook = WebhookView.extend({
  /** Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
  secret: z.string(),
});
export type CreatedWebhook = z.infer<typeof CreatedWebhook>;

export const WebhookList = z.object({ webhooks: z.array(WebhookView) });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookAttempt = z.object({
  at: z.string(),
  durationMs: z.number().int(),
  /** The receiver's HTTP status; null when no answer came (timeout, refused, SSRF check). */
  statusCode: z.number().int().nullable(),
  /** Why there was no answer (ours, never the receiver's body). */
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  /** pending: will be tried (again); succeeded: a 2xx came back; failed: retried for the whole window. */
  status: z.enum(['pending', 'succeeded', 'failed']),
  attemptCount: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  createdAt: z.string(),
  attempts: z.array(WebhookAttempt),
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;

export const WebhookDeliveryListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Deliveries older than this id (the previous page's nextCursor). */
  cursor: z.string().regex(/^[1-9]\d{0,18}$/).optional(),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuery>;

export const WebhookDeliveryList = z.object({ deliveries: z.array(WebhookDeliveryView), nextCursor: z.string().nullable() });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;
