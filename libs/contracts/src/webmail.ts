import { z } from 'zod';
import { Address, MessageSummary } from './mail.js';

/**
 * The webmail's own REST shapes (issue 12): conversations, labels, counts, bulk actions with undo,
 * trust signals. Routes (cookie session or Bearer key; state-changing requests need X-CSRF-Token):
 *   GET    /api/v1/conversations?mailboxId|labelId&cursor&limit → ConversationList
 *   GET    /api/v1/conversations/:threadId?mailboxId           → ConversationDetail
 *   GET    /api/v1/mailboxes/:id/page?cursor&limit             → MessagePage (keyset list + labelIds)
 *   GET    /api/v1/labels                                      → LabelList (with counts)
 *   POST   /api/v1/labels          CreateLabelRequest          → LabelView (201; 409 name taken)
 *   PATCH  /api/v1/labels/:id      UpdateLabelRequest          → LabelView (409 name taken)
 *   DELETE /api/v1/labels/:id                                  → 204 (keyword removed from every message)
 *   GET    /api/v1/counts                                      → Counts (unread per folder and label)
 *   POST   /api/v1/bulk            BulkRequest                 → BulkResult
 *   POST   /api/v1/bulk/undo       BulkUndoRequest             → BulkUndoResult (404 unknown/expired token)
 *   GET    /api/v1/messages/:id/trust                          → MessageTrust
 * Ids are decimal strings; another account's object is a 404, like a missing one.
 */

const Id = z.string().regex(/^[1-9]\d{0,18}$/, 'an id');

// ───────────────────────────── Conversations ─────────────────────────────

/**
 * GET /api/v1/conversations: the threads (store thread id) that have a message in the mailbox (or
 * carry the label), newest first by the thread's latest message there; counts, participants and
 * flags are over the whole thread across mailboxes (a reply in Sent is in its INBOX conversation),
 * Trash and Junk left out unless the view is Trash or Junk. Neither mailboxId nor labelId: INBOX.
 */
export const ConversationListQuery = z
  .object({
    mailboxId: Id.optional(),
    labelId: Id.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque keyset cursor from a previous page's nextCursor (never an offset). */
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !(q.mailboxId && q.labelId), 'mailboxId or labelId, not both');
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const ConversationSummary = z.object({
  /** The store's thread id (MessageSummary.threadId); GET /api/v1/conversations/:id. */
  id: z.string(),
  /** Messages in the conversation (across mailboxes, Trash/Junk excluded unless viewing them). */
  messageCount: z.number().int(),
  unreadCount: z.number().int(),
  /** Distinct senders, oldest first (name, or the address when the name is empty). At most 10. */
  participants: z.array(Address),
  /** Subject, snippet and sender of the newest message of the conversation. */
  subject: z.string(),
  snippet: z.string(),
  from: Address,
  /** ISO 8601: the newest message's arrival (the list's order). */
  latestAt: z.string(),
  /** The newest message's id (open it, or act on it alone). */
  latestMessageId: z.string(),
  /** Some message is \Flagged. */
  starred: z.boolean(),
  hasAttachments: z.boolean(),
  /** Label ids present on any message of the conversation. */
  labelIds: z.array(z.string()),
  /** Mailboxes holding its messages (e.g. INBOX and Sent). */
  mailboxIds: z.array(z.string()),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationList = z.object({
  items: z.array(ConversationSummary),
  /** Pass as ?cursor= for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ConversationList = z.infer<typeof ConversationList>;

/** A message in the webmail's lists: the summary plus its labels (ids) and other IMAP keywords. */
export const WebmailMessage = MessageSummary.extend({
  cc: z.array(Address),
  labelIds: z.array(z.string()),
  /** IMAP keywords that are no label of the account ($Forwarded, $Junk, …). */
  keywords: z.array(z.string()),
  draft: z.boolean(),
});
export type WebmailMessage = z.infer<typeof WebmailMessage>;

/** GET /api/v1/conversations/:threadId?mailboxId: the conversation's messages, oldest first. */
export const ConversationDetailQuery = z.object({
  /** The view it was opened from: Trash/Junk messages are included only when it is Trash or Junk. */
  mailboxId: Id.optional(),
});
export type ConversationDetailQuery = z.infer<typeof ConversationDetailQuery>;

export const ConversationDetail = z.object({
  id: z.string(),
  subject: z.string(),
  /** Oldest first; at most 500 (the newest 500 when longer). */
  messages: z.array(WebmailMessage),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;

/** GET /api/v1/mailboxes/:id/page: the flat (conversation view off) list, keyset-paged. */
export const MessagePageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;

export const MessagePage = z.object({ items: z.array(WebmailMessage), nextCursor: z.string().nullable() });
export type MessagePage = z.infer<typeof MessagePage>;

// ───────────────────────────── Labels ─────────────────────────────

/** #rrggbb, or null for the default colour. */
export const LabelColour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'a colour #rrggbb')
  .transform((c) => c.toLowerCase());

export const LabelView = z.object({
  id: z.string(),
  name: z.string(),
  colour: z.string().nullable(),
  /** The IMAP keyword (RFC 9051 §2.3.2 flag-keyword atom) IMAP clients see on labelled messages. */
  keyword: z.string(),
  /** Labelled messages (Trash and Junk excluded) and how many of them are unread. */
  total: z.number().int(),
  unread: z.number().int(),
});
export type LabelView = z.infer<typeof LabelView>;

export const LabelList = z.object({ items: z.array(LabelView) });
export type LabelList = z.infer<typeof LabelList>;

/** Names are unique per account, case-insensitively; "/" nests nothing (labels are flat). */
const LabelName = z
  .string()
  .trim()
  .min(1, 'a name')
  .max(100)
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'no control characters');

/** POST /api/v1/labels. */
export const CreateLabelRequest = z.object({ name: LabelName, colour: LabelColour.nullable().optional() });
export type CreateLabelRequest = z.infer<typeof CreateLabelRequest>;

/** PATCH /api/v1/labels/:id: a rename rewrites the keyword on every labelled message (new modseq). */
export const UpdateLabelRequest = z
  .object({ name: LabelName.optional(), colour: LabelColour.nullable().optional() })
  .refine((v) => v.name !== undefined || v.colour !== undefined, 'nothing to update');
export type UpdateLabelRequest = z.infer<typeof UpdateLabelRequest>;

/**
 * GET /api/v1/counts: unread per mailbox, unread and total per label — for the sidebar and the tab
 * title, cheap enough to ask after every live change (each costs what the unread/labelled mail is,
 * not the mailbox; mailbox totals are in GET /api/v1/mailboxes).
 */
export const Counts = z.object({
  mailboxes: z.array(z.object({ id: z.string(), unread: z.number().int() })),
  labels: z.array(z.object({ id: z.string(), total: z.number().int(), unread: z.number().int() })),
});
export type Counts = z.infer<typeof Counts>;

// ───────────────────────────── Bulk actions ─────────────────────────────

/** What a bulk action applies to: message ids, every message matching a search, or whole conversations. */
export const BulkTarget = z.union([
  z.object({ ids: z.array(Id).min(1).max(5000) }),
  z.object({
    /** The search syntax of GET /api/v1/messages?q= (Gmail operators). Every match, up to 50,000. */
    query: z.string().min(1).max(2000),
    mailboxId: Id.optional(),
  }),
  z.object({
    conversationIds: z.array(Id).min(1).max(1000),
    /** The view: a conversation's Trash/Junk messages are affected only when it is Trash or Junk. */
    mailboxId: Id.optional(),
  }),
]);
export type BulkTarget = z.infer<typeof BulkTarget>;

/**
 * archive: to the Archive mailbox. delete: to Trash (for good when already in Trash: no undo then).
 * junk: to Junk; notJunk: from Junk to INBOX. move: to mailboxId. addLabel/removeLabel: the label's
 * IMAP keyword. markRead/markUnread: \Seen; star/unstar: \Flagged.
 */
export const BulkAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('archive') }),
  z.object({ type: z.literal('delete') }),
  z.object({ type: z.literal('markRead') }),
  z.object({ type: z.literal('markUnread') }),
  z.object({ type: z.literal('star') }),
  z.object({ type: z.literal('unstar') }),
  z.object({ type: z.literal('junk') }),
  z.object({ type: z.literal('notJunk') }),
  z.object({ type: z.literal('move'), mailboxId: Id }),
  z.object({ type: z.literal('addLabel'), labelId: Id }),
  z.object({ type: z.literal('removeLabel'), labelId: Id }),
]);
export type BulkAction = z.infer<typeof BulkAction>;

/** POST /api/v1/bulk: done on the server in one request, through the mail store (modseq, IMAP, quota). */
export const BulkRequest = z.object({ target: BulkTarget, action: BulkAction });
export type BulkRequest = z.infer<typeof BulkRequest>;

export const BulkResult = z.object({
  /** Messages whose state changed (already-read messages marked read do not count). */
  affected: z.number().int(),
  /** POST /api/v1/bulk/undo with this token reverts it, for one hour; null when it cannot be undone. */
  undo: z.object({ token: z.string(), expiresAt: z.string() }).nullable(),
});
export type BulkResult = z.infer<typeof BulkResult>;

/** POST /api/v1/bulk/undo: moves back, flags and labels back, for the messages still there. */
export const BulkUndoRequest = z.object({ token: z.string().min(1).max(200) });
export type BulkUndoRequest = z.infer<typeof BulkUndoRequest>;

export const BulkUndoResult = z.object({ restored: z.number().int() });
export type BulkUndoResult = z.infer<typeof BulkUndoResult>;

// ───────────────────────────── Trust signals ─────────────────────────────

export const AuthVerdict = z.enum(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy']);
export type AuthVerdict = z.infer<typeof AuthVerdict>;

/**
 * GET /api/v1/messages/:id/trust: the SPF/DKIM/DMARC verdicts the MX stored at delivery
 * (RFC 8601 Authentication-Results, RFC 7489 DMARC) and a look-alike check of the From domain.
 * Mail that did not come through the MX (sent, imported, appended) has `checked: false`, verdicts none.
 */
export const MessageTrust = z.object({
  checked: z.boolean(),
  fromDomain: z.string(),
  dmarc: z.enum(['pass', 'fail', 'none']),
  spf: AuthVerdict,
  /** The best DKIM result (pass if any signature passed), with each signature's. */
  dkim: AuthVerdict,
  dkimSignatures: z.array(z.object({ domain: z.string(), selector: z.string(), result: z.string() })),
  /** The From domain is not a known one but looks like it (confusable characters, one edit away). */
  lookalike: z.object({ domain: z.string(), resembles: z.string() }).optional(),
  /** One sentence for the reading pane's banner; absent when there is nothing to warn about. */
  warning: z.string().optional(),
});
export type MessageTrust = z.infer<typeof MessageTrust>;
