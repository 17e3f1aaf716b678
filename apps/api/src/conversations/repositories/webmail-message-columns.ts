/** A webmail message row (alias m): the list summary plus cc, keywords and \Draft. */
export interface WebmailMessageRow {
  id: string;
  mailboxId: string;
  uid: number;
  threadId: string;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  keywords: string[];
  internalDate: Date;
  size: number;
  subject: string;
  fromName: string;
  fromAddress: string;
  toAddresses: { name: string; address: string }[];
  ccAddresses: { name: string; address: string }[];
  snippet: string;
  hasAttachments: boolean;
}

/** Columns only: no blob, no attachment list, no auth results (a list page reads nothing else). */
export const WEBMAIL_MESSAGE_COLUMNS = `m.id, m.mailbox_id AS "mailboxId", m.uid, m.thread_id AS "threadId", m.seen, m.flagged,
  m.answered, m.draft, m.keywords, m.internal_date AS "internalDate", m.size, m.subject, m.from_name AS "fromName",
  m.from_address AS "fromAddress", m.to_addresses AS "toAddresses", m.cc_addresses AS "ccAddresses", m.snippet,
  m.has_attachments AS "hasAttachments"`;
