import { z } from 'zod';

const Email = z.string().trim().toLowerCase().max(320).email('an email address');
const Recipient = z.union([Email, z.object({ name: z.string().max(300).optional(), address: Email })]);

/**
 * POST /api/v1/messages/send: a message written in a form (the webmail's compose, integrators).
 * Bcc recipients get the message but never appear in it. The JSON body limit (1 MiB) bounds
 * attachments sent this way; base64 in `content`.
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
  })
  .refine((v) => v.to.length + v.cc.length + v.bcc.length > 0, 'at least one recipient')
  .refine((v) => v.to.length + v.cc.length + v.bcc.length <= 100, 'at most 100 recipients');
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const SendMessageResult = z.object({
  /** The Message-ID header of the sent message. */
  messageId: z.string(),
  /** The copy in the sender's Sent mailbox (GET /api/v1/messages/:id). */
  sentId: z.string(),
  /** Local recipients' accounts that got it at once, and remote recipients queued for delivery. */
  delivered: z.number().int(),
  queued: z.number().int(),
});
export type SendMessageResult = z.infer<typeof SendMessageResult>;
