/**
 * Inputs of SORT and THREAD (RFC 5256). The store's ImapSortFields is this type: it reads these
 * fields (apps/api/src/mailbox-store/imap-store.types.ts) and the algorithms take them as they are.
 */
export interface SortInput {
  uid: number;
  internalDate: Date;
  /** The Date: header, or null when missing or unparsable (RFC 5256 then uses the internal date). */
  sentDate: Date | null;
  size: number;
  /** The Subject header as sent (encoded words are decoded here). */
  subject: string;
  /** First address of each header, "local@domain" (or just the local part), and its display name as sent. */
  fromAddress: string;
  fromName: string;
  toAddress: string;
  toName: string;
  ccAddress: string;
  /** Message-ID, In-Reply-To and References as sent ("<id@host>"; References may be one string per id). */
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
}

export type ThreadInput = Pick<SortInput, 'uid' | 'internalDate' | 'sentDate' | 'subject' | 'messageId' | 'inReplyTo' | 'references'>;

/** A thread: a message (uid) or, at the root only, a placeholder (uid null) grouping siblings. */
export interface ThreadNode {
  uid: number | null;
  children: ThreadNode[];
}
