import { z } from 'zod';
import { AttachmentRef } from './compose-parts.js';

const Email = z.string().trim().toLowerCase().max(320).email('an email address');
const Recipient = z.union([Email, z.object({ name: z.string().max(300).optional(), address: Email })]);

/**
 * POST /api/v1/messages/send: a message written in a form (the webmail's compose, integrators).
 * Bcc recipients get the message but never appear in it. `html` is sanitized on the server and a
 * plain-text alternative is derived from it when `text` is absent (multipart/alternative). The
 * JSON body limit (1 MiB) bounds base64 `attachments`; larger files go through POST /api/v1/uploads
 * and `attachmentRefs`. Answering (`inReplyTo` naming a message of the account) marks it \Answered.
 */
export const SendMessageRequest = z
  .object({
    /** An address the account may send as (its own, a +tag of it, or an alias of it); default: its own. */
    from: Email.optional(),
    fromName: z.string().max(300).optional(),
    to: z.array(Recipient).max(100).default([]),
    cc: z.array(Recipient).max(100).default([]),
    bcc: z.array(Recipient).max(100).default([]),
    subject: z.string().max(998).default(''),
    text: z.string().max(1_000_000).optional(),
    html: z.string().max(1_000_000).optional(),
    /** Message-ID of the message answered (threading, RFC 5322 §3.6.4). */
    inReplyTo: z.string().max(995).optional(),
    references: z.array(z.string().max(995)).max(100).optional(),
    attachments: z
      .array(
        z.object({
          filename: z.string().min(1).max(255),
          contentType: z.string().max(255).default('application/octet-stream'),
          content: z.string().regex(/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/, 'base64'),
        }),
      )
      .max(50)
      .optional(),
    /**
     * Attachments by reference (uploads, or attachments of stored messages: Forward, a resumed
     * draft); `inline` ones with a contentId are the HTML's `cid:` images. Preferred over `attachments`.
     */
    attachmentRefs: z.array(AttachmentRef).max(50).optional(),
    /** The draft this send comes from: removed in the same transaction that accepts the message. */
    draftId: z.string().regex(/^[1-9]\d{0,18}$/, 'a message id').optional(),
    /** Scheduled send: not before this time (ISO 8601, within a year). Cancellable until it starts. */
    sendAt: z.iso.datetime({ offset: true }).optional(),
    /** Undo send: hold it this many seconds (Gmail's 5–30), cancellable meanwhile. */
    undoSeconds: z.number().int().min(1).max(120).optional(),
  })
  .refine((v) => v.to.length + v.cc.length + v.bcc.length > 0, 'at least one recipient')
  .refine((v) => v.to.length + v.cc.length + v.bcc.length <= 100, 'at most 100 recipients')
  .refine((v) => !(v.sendAt && v.undoSeconds), 'sendAt and undoSeconds exclude each other')
  .refine((v) => !v.sendAt || Date.parse(v.sendAt) < Date.now() + 366 * 24 * 3600_000, 'sendAt within a year');
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const SendMessageResult = z.object({
  /** The Message-ID header of the sent message. */
  messageId: z.string(),
  /** The copy in the sender's Sent mailbox (GET /api/v1/messages/:id). */
  sentId: z.string(),
  /** Local recipients' accounts that got it at once, and remote recipients queued for delivery. */
  delivered: z.number().int(),
  queued: z.number().int(),
  /** The outbound queue entry (cancel a delayed send with it), null when nothing was queued. */
  queueId: z.string().nullable(),
  /** When a delayed (scheduled or undo-able) send goes out; null for an immediate one. */
  scheduledFor: z.string().nullable(),
});
export type SendMessageResult = z.infer<typeof SendMessageResult>;

/** POST /api/v1/messages/send/:queueId/cancel — undo send / cancel a scheduled send. */
export const CancelSendRequest = z.object({
  /** The Sent copy to take back as a draft (from SendMessageResult.sentId). */
  sentId: z.string().regex(/^[1-9]\d{0,18}$/, 'a message id').optional(),
});
export type CancelSendRequest = z.infer<typeof CancelSendRequest>;

export const CancelSendResult = z.object({
  /** The Sent copy, now in Drafts (null when no sentId was given). */
  draftId: z.string().nullable(),
});
export type CancelSendResult = z.infer<typeof CancelSendResult>;
