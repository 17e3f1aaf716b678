/** SELECT list mapping messages columns to MessageRow's camelCase names (alias m). */
export const MESSAGE_COLUMNS = `
  m.id, m.account_id AS "accountId", m.mailbox_id AS "mailboxId", m.uid, m.modseq, m.seen, m.flagged,
  m.answered, m.draft, m.deleted, m.keywords, m.internal_date AS "internalDate", m.size, m.blob_id AS "blobId",
  m.message_id_hdr AS "messageIdHdr", m.subject, m.from_name AS "fromName", m.from_address AS "fromAddress",
  m.to_addresses AS "toAddresses", m.cc_addresses AS "ccAddresses", m.sent_date AS "sentDate", m.snippet,
  m.has_attachments AS "hasAttachments", m.attachments, m.thread_id AS "threadId"`;

/** The flag columns (alias m), as IMAP's reads and writes select them. */
export const FLAG_COLUMNS = 'm.seen, m.answered, m.flagged, m.deleted, m.draft, m.keywords';
