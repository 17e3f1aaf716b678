import { z } from 'zod';

export const SpecialUse = z.enum(['inbox', 'sent', 'drafts', 'trash', 'junk', 'archive']);
export type SpecialUse = z.infer<typeof SpecialUse>;

export const MailboxView = z.object({
  id: z.string(),
  name: z.string(),
  specialUse: SpecialUse.nullable(),
  total: z.number().int(),
  unread: z.number().int(),
});
export type MailboxView = z.infer<typeof MailboxView>;

export const MailboxList = z.object({ items: z.array(MailboxView) });
export type MailboxList = z.infer<typeof MailboxList>;

export const Address = z.object({ name: z.string(), address: z.string() });
export type Address = z.infer<typeof Address>;

export const MessageSummary = z.object({
  id: z.string(),
  mailboxId: z.string(),
  uid: z.number().int(),
  threadId: z.string(),
  from: Address,
  to: z.array(Address),
  subject: z.string(),
  snippet: z.string(),
  /** ISO 8601: when the message arrived (IMAP INTERNALDATE). Lists sort by it, newest first. */
  receivedAt: z.string(),
  seen: z.boolean(),
  flagged: z.boolean(),
  answered: z.boolean(),
  hasAttachments: z.boolean(),
  size: z.number().int(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const MessageListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque keyset cursor from a previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

export const MessageList = z.object({
  items: z.array(MessageSummary),
  /** Pass as ?cursor= for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type MessageList = z.infer<typeof MessageList>;

export const AttachmentView = z.object({
  /** Position in the message's attachment list; used in the download URL. */
  index: z.number().int(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  contentId: z.string().nullable(),
  inline: z.boolean(),
});
export type AttachmentView = z.infer<typeof AttachmentView>;

export const MessageDetail = MessageSummary.extend({
  cc: z.array(Address),
  replyTo: z.array(Address),
  messageId: z.string().nullable(),
  /** Threading headers (RFC 5322 §3.6.4), for building a reply's In-Reply-To/References. */
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  /** \Draft: open it in the compose window (GET /api/v1/drafts/:id) rather than the reader. */
  draft: z.boolean(),
  sentAt: z.string().nullable(),
  /** Plain-text body (may be derived from HTML). */
  text: z.string(),
  /**
   * Sanitized HTML (no scripts, handlers, forms, or remote loads), or null for text-only mail.
   * Render it only inside a sandboxed iframe with a restrictive CSP.
   */
  html: z.string().nullable(),
  /** True when the sanitizer blocked remote images/styles; ?remote=allow returns them. */
  hasRemoteContent: z.boolean(),
  attachments: z.array(AttachmentView),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
});
export type MessageDetail = z.infer<typeof MessageDetail>;

export const MessageDetailQuery = z.object({
  remote: z.enum(['block', 'allow']).default('block'),
});
export type MessageDetailQuery = z.infer<typeof MessageDetailQuery>;

export const UpdateMessageRequest = z
  .object({ seen: z.boolean().optional(), flagged: z.boolean().optional() })
  .refine((v) => v.seen !== undefined || v.flagged !== undefined, 'nothing to update');
export type UpdateMessageRequest = z.infer<typeof UpdateMessageRequest>;

/** Ids are positive decimal BIGINTs without leading zeros (a larger one is simply not found). */
export const MoveMessageRequest = z.object({ mailboxId: z.string().regex(/^[1-9]\d{0,18}$/, 'a mailbox id') });
export type MoveMessageRequest = z.infer<typeof MoveMessageRequest>;

/** DELETE /messages/:id result: moved to Trash, or expunged when it already was in Trash. */
export const DeleteMessageResult = z.object({
  result: z.enum(['trashed', 'expunged']),
  /** The message's new id when trashed. */
  id: z.string().nullable(),
});
export type DeleteMessageResult = z.infer<typeof DeleteMessageResult>;
