import { z } from 'zod';
import { MessageSummary } from './mail.js';

/**
 * Mail for programs (issue 13 items 2 and 3): search, import, flags and keywords, mailbox
 * create/rename/delete, sending with files and idempotency, per-recipient status.
 */

const Id = z.string().regex(/^[1-9]\d{0,18}$/, 'an id');

/**
 * GET /api/v1/messages?q&cursor&limit&mailboxId — the webmail's search syntax (Gmail's operators:
 * from: to: cc: subject: filename: has:attachment is:unread|read|starred in: label: before: after:
 * larger: smaller:, -negation, "phrases", OR, parentheses). Without `in:` (or mailboxId) every
 * mailbox but Trash and Junk is searched, as Gmail does. Newest first; a malformed query is a 400
 * whose details are { position } (0-based offset in q).
 */
export const SearchMessagesQuery = z.object({
  q: z.string().max(1000).default(''),
  /** Only this mailbox (then Trash/Junk are not left out when it is one of them). */
  mailboxId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** Opaque keyset cursor from a previous page's nextCursor (valid with the same q). */
  cursor: z.string().max(200).optional(),
});
export type SearchMessagesQuery = z.infer<typeof SearchMessagesQuery>;

/** [start, end) in UTF-16 code units of the string it belongs to: wrap them in <mark> as text, never as HTML. */
export const HighlightRange = z.object({ start: z.number().int(), end: z.number().int() });
export type HighlightRange = z.infer<typeof HighlightRange>;

export const SearchHit = MessageSummary.extend({
  /** IMAP keywords (labels) of the message. */
  keywords: z.array(z.string()),
  /** Where the searched words are in subject, snippet and the sender's name or address. */
  highlights: z.object({
    subject: z.array(HighlightRange),
    snippet: z.array(HighlightRange),
    fromName: z.array(HighlightRange),
    fromAddress: z.array(HighlightRange),
  }),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  items: z.array(SearchHit),
  /** Pass as ?cursor= (with the same q) for the next, older page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type SearchResult = z.infer<typeof SearchResult>;

const FlagName = z.enum(['seen', 'flagged', 'answered', 'draft']);
/** An IMAP keyword (RFC 9051 atom: no spaces, parentheses, quotes, wildcards or backslash). */
const Keyword = z.string().regex(/^[^\s(){%*"\\\]\u0000-\u001f\u007f]{1,100}$/, 'a keyword (IMAP atom)');

/** A comma-separated query parameter as a list ("seen,flagged"). */
const commaList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

/**
 * POST /api/v1/mailboxes/:id/messages?flags&keywords&date — the body is the raw message
 * (Content-Type: message/rfc822), at most CORREIO_MAX_MESSAGE_BYTES (413 beyond). Stored like IMAP
 * APPEND: parsed, indexed for search, quota checked (507), durable before the 201.
 */
export const ImportMessageQuery = z.object({
  /** System flags to set: seen, flagged, answered, draft (comma-separated). */
  flags: z.string().max(200).transform(commaList).pipe(z.array(FlagName).max(4)).optional(),
  /** Keywords (labels) to set, comma-separated. */
  keywords: z.string().max(5000).transform(commaList).pipe(z.array(Keyword).max(50)).optional(),
  /** The internal ("received") date, ISO 8601; default now. */
  date: z.iso.datetime({ offset: true }).optional(),
});
export type ImportMessageQuery = z.infer<typeof ImportMessageQuery>;

export const ImportMessageResult = z.object({
  id: z.string(),
  mailboxId: z.string(),
  /** The IMAP UID and UIDVALIDITY the message got (RFC 4315 APPENDUID). */
  uid: z.number().int(),
  uidValidity: z.number().int(),
  size: z.number().int(),
});
export type ImportMessageResult = z.infer<typeof ImportMessageResult>;

/**
 * PATCH /api/v1/messages/:id — system flags and keywords (labels, IMAP keywords). Keywords in both
 * lists: added then removed.
 */
export const UpdateFlagsRequest = z
  .object({
    seen: z.boolean().optional(),
    flagged: z.boolean().optional(),
    answered: z.boolean().optional(),
    draft: z.boolean().optional(),
    addKeywords: z.array(Keyword).max(50).optional(),
    removeKeywords: z.array(Keyword).max(50).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'nothing to update');
export type UpdateFlagsRequest = z.infer<typeof UpdateFlagsRequest>;

/** MessageSummary plus its keywords: what PATCH answers. */
export const MessageFlagsView = MessageSummary.extend({ keywords: z.array(z.string()), draft: z.boolean() });
export type MessageFlagsView = z.infer<typeof MessageFlagsView>;

/** "/" separates levels ("Projects/2026"); missing parents are created (RFC 9051 §6.3.4). */
const MailboxName = z.string().trim().min(1).max(1000);

/** POST /api/v1/mailboxes → 201 MailboxView (409 when the name exists). */
export const CreateMailboxRequest = z.object({ name: MailboxName });
export type CreateMailboxRequest = z.infer<typeof CreateMailboxRequest>;

/** PATCH /api/v1/mailboxes/:id → MailboxView: rename (children move with it, UIDs kept). */
export const RenameMailboxRequest = z.object({ name: MailboxName });
export type RenameMailboxRequest = z.infer<typeof RenameMailboxRequest>;

/**
 * POST /api/v1/messages/send as multipart/form-data: a field `message` holding the JSON of
 * SendMessageRequest, and any number of files (field `attachments`), streamed and counted against
 * CORREIO_MAX_MESSAGE_BYTES (413 beyond). Same answers as the JSON form.
 *
 * Idempotency-Key header (either form): 1–255 printable ASCII characters, per account, kept 24 h.
 * A request repeated with the same key gets the first answer (status and body) and sends nothing
 * again; while the first is still running a repeat is answered 409 `conflict` (retry later); the same
 * key with a different request body is a 422-like 400 `invalid_input`. Only answers below 500 are
 * kept: after a 5xx the key may be retried.
 */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 printable ASCII characters');
