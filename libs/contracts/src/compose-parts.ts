import { z } from 'zod';
import { Address } from './mail.js';

/**
 * Pieces of a message being written (the webmail's compose window, integrators): attachments by
 * reference, drafts, uploads. Files never travel as base64 inside JSON from the webmail: they are
 * uploaded once (POST /api/v1/uploads, multipart/form-data, streamed) and referenced by id.
 */

const Id = z.string().regex(/^[1-9]\d{0,18}$/, 'an id');

/**
 * An attachment named by where its bytes already are:
 * - `upload`: a file uploaded with POST /api/v1/uploads (kept 24 h unless a draft or send uses it);
 * - `message`: attachment `index` of a stored message of the account (Forward carries the
 *   original's attachments; a resumed draft names its own).
 * `inline` + `contentId` make it a `cid:` part referenced from the HTML (a pasted image).
 */
export const AttachmentRef = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('upload'),
    uploadId: Id,
    inline: z.boolean().default(false),
    contentId: z.string().max(255).optional(),
  }),
  z.object({
    source: z.literal('message'),
    messageId: Id,
    index: z.number().int().min(0).max(499),
    inline: z.boolean().default(false),
    contentId: z.string().max(255).optional(),
  }),
]);
export type AttachmentRef = z.infer<typeof AttachmentRef>;

/** POST /api/v1/uploads → 201: one file (form field `file`), at most CORREIO_MAX_MESSAGE_BYTES. */
export const UploadView = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  /** Hex SHA-256 of the bytes as stored. */
  sha256: z.string(),
});
export type UploadView = z.infer<typeof UploadView>;

const DraftRecipient = z.object({ name: z.string().max(300).optional(), address: z.string().trim().max(320) });

/**
 * PUT /api/v1/drafts (new) or PUT /api/v1/drafts/:id (replace): the compose window's state, saved
 * as one message in the Drafts mailbox with \Draft. Replacing stores the new version and expunges
 * the old one in one transaction (an IMAP client sees the same single draft), so there is never a
 * pile of copies. Recipients may be incomplete or invalid here; Bcc is kept in the draft.
 */
export const SaveDraftRequest = z.object({
  from: z.string().trim().max(320).optional(),
  to: z.array(DraftRecipient).max(100).default([]),
  cc: z.array(DraftRecipient).max(100).default([]),
  bcc: z.array(DraftRecipient).max(100).default([]),
  subject: z.string().max(998).default(''),
  /** The editor's HTML; sanitized on the server before it is stored. */
  html: z.string().max(2_000_000).default(''),
  /** Threading of a reply being written (Message-ID values, with angle brackets). */
  inReplyTo: z.string().max(995).optional(),
  references: z.array(z.string().max(995)).max(100).optional(),
  attachments: z.array(AttachmentRef).max(50).default([]),
});
export type SaveDraftRequest = z.infer<typeof SaveDraftRequest>;

/** An attachment of a stored draft, with the reference that carries it into the next save or the send. */
export const DraftAttachment = z.object({
  ref: AttachmentRef,
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
});
export type DraftAttachment = z.infer<typeof DraftAttachment>;

/**
 * The draft as saved. Its attachments now live in the new draft (the old one is expunged), so a
 * `message` reference to the previous version names nothing any more: the next save, and the send,
 * must use the references returned here.
 */
export const SaveDraftResult = z.object({
  /** The draft's id now (it changes at each save: pass it to the next PUT, to send and to discard). */
  id: z.string(),
  savedAt: z.string(),
  /** The new draft's attachments, as GET /api/v1/drafts/:id lists them (MIME order). */
  attachments: z.array(DraftAttachment),
  /**
   * Parallel to the request's `attachments`: `refs[i]` is the reference (into the new draft) that
   * request attachment `i` became. Follow a window's attachments from save to save with this, not
   * with positions in `attachments`: inline parts sit in multipart/related, so MIME order is not
   * request order. The server pairs them by the stored part's bytes and Content-ID.
   */
  refs: z.array(AttachmentRef),
});
export type SaveDraftResult = z.infer<typeof SaveDraftResult>;

/** GET /api/v1/drafts/:id: a draft (or any message of the Drafts mailbox) as compose state. */
export const DraftView = z.object({
  id: z.string(),
  from: z.string(),
  to: z.array(Address),
  cc: z.array(Address),
  bcc: z.array(Address),
  subject: z.string(),
  /** Sanitized HTML of the body (a text-only draft comes back as escaped paragraphs). */
  html: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  attachments: z.array(DraftAttachment),
  savedAt: z.string(),
});
export type DraftView = z.infer<typeof DraftView>;

/** GET /api/v1/contacts/suggest?q=&limit= : people the account wrote to or received from. */
export const ContactSuggestQuery = z.object({
  q: z.string().trim().max(320).default(''),
  limit: z.coerce.number().int().min(1).max(20).default(8),
});
export type ContactSuggestQuery = z.infer<typeof ContactSuggestQuery>;

export const ContactSuggestion = z.object({
  name: z.string(),
  address: z.string(),
  /** Messages sent to and received from this address (ranking: frequency, then recency). */
  sent: z.number().int(),
  received: z.number().int(),
  lastAt: z.string(),
});
export const ContactSuggestions = z.object({ items: z.array(ContactSuggestion) });
export type ContactSuggestion = z.infer<typeof ContactSuggestion>;
export type ContactSuggestions = z.infer<typeof ContactSuggestions>;

/** An address the account may send as (its own, or an alias delivering to it), with its signature. */
export const Identity = z.object({
  address: z.string(),
  name: z.string(),
  /** Sanitized HTML inserted into new messages, replies and forwards (above the quote); '' for none. */
  signatureHtml: z.string(),
  isPrimary: z.boolean(),
});
export type Identity = z.infer<typeof Identity>;

/** GET /api/v1/compose/settings: what the compose window needs to know about the account. */
export const ComposeSettings = z.object({
  identities: z.array(Identity),
  /** The undo-send window in seconds (0 = send at once; default 10). */
  undoSendSeconds: z.number().int().min(0).max(30),
  /** The largest message the server accepts (CORREIO_MAX_MESSAGE_BYTES): check files before upload. */
  maxMessageBytes: z.number().int(),
});
export type ComposeSettings = z.infer<typeof ComposeSettings>;

/** PATCH /api/v1/compose/settings */
export const UpdateComposeSettingsRequest = z.object({ undoSendSeconds: z.number().int().min(0).max(30) });
export type UpdateComposeSettingsRequest = z.infer<typeof UpdateComposeSettingsRequest>;

/** PUT /api/v1/compose/signatures/:address → Identity */
export const UpdateSignatureRequest = z.object({ html: z.string().max(100_000) });
export type UpdateSignatureRequest = z.infer<typeof UpdateSignatureRequest>;

/** GET /api/v1/messages/scheduled: delayed sends not started yet (scheduled; undo windows too). */
export const ScheduledMessage = z.object({
  queueId: z.string(),
  /** The Sent copy (cancel moves it to Drafts; open it to read). */
  sentId: z.string().nullable(),
  subject: z.string(),
  to: z.array(z.string()),
  sendAt: z.string(),
});
export const ScheduledMessageList = z.object({ items: z.array(ScheduledMessage) });
export type ScheduledMessage = z.infer<typeof ScheduledMessage>;
export type ScheduledMessageList = z.infer<typeof ScheduledMessageList>;

/**
 * GET /api/v1/messages/:id/delivery: what happened to each recipient of a message the account sent,
 * from the outbound queue's own records. Local recipients delivered at acceptance are `delivered`
 * with no reply; a message never queued (not sent by this server) answers 404.
 */
export const RecipientDeliveryState = z.enum(['scheduled', 'queued', 'deferred', 'delivered', 'bounced', 'held', 'cancelled']);
export type RecipientDeliveryState = z.infer<typeof RecipientDeliveryState>;
export const RecipientDelivery = z.object({
  address: z.string(),
  state: RecipientDeliveryState,
  attempts: z.number().int(),
  /** The remote server's last reply ("250 2.0.0 Ok: queued as …", "550 5.1.1 no such user"). */
  lastReply: z.string().nullable(),
  /** A bounce or deferral said in plain words ("The recipient's server says this address does not exist."). */
  explanation: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type RecipientDelivery = z.infer<typeof RecipientDelivery>;
export const MessageDeliveryStatus = z.object({
  queueId: z.string().nullable(),
  recipients: z.array(RecipientDelivery),
});
export type MessageDeliveryStatus = z.infer<typeof MessageDeliveryStatus>;
