import type { MessageSummaryFields } from '@correio/mime';

export type SpecialUse = 'inbox' | 'sent' | 'drafts' | 'trash' | 'junk' | 'archive';

/** The mailboxes every new account gets (RFC 6154 special-use names). */
export const STANDARD_MAILBOXES: { name: string; specialUse: SpecialUse }[] = [
  { name: 'INBOX', specialUse: 'inbox' },
  { name: 'Drafts', specialUse: 'drafts' },
  { name: 'Sent', specialUse: 'sent' },
  { name: 'Archive', specialUse: 'archive' },
  { name: 'Junk', specialUse: 'junk' },
  { name: 'Trash', specialUse: 'trash' },
];

export interface MailboxRow {
  id: string;
  name: string;
  specialUse: SpecialUse | null;
  uidValidity: number;
  uidNext: number;
  highestModseq: string;
  total: number;
  unread: number;
}

export interface MessageRow {
  id: string;
  accountId: string;
  mailboxId: string;
  uid: number;
  modseq: string;
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  deleted: boolean;
  keywords: string[];
  internalDate: Date;
  size: number;
  blobId: string;
  messageIdHdr: string | null;
  subject: string;
  fromName: string;
  fromAddress: string;
  toAddresses: { name: string; address: string }[];
  ccAddresses: { name: string; address: string }[];
  sentDate: Date | null;
  snippet: string;
  hasAttachments: boolean;
  attachments: MessageSummaryFields['attachments'];
  threadId: string;
}

/** System flags a caller may set (\Seen, \Flagged, \Answered, \Draft); undefined leaves one as it is. */
export interface MessageFlags {
  seen?: boolean;
  flagged?: boolean;
  answered?: boolean;
  draft?: boolean;
}

/** One copy of a message to store: which account and which of its mailboxes. */
export interface DeliveryTarget {
  accountId: string;
  /** A mailbox id, or a special use resolved inside the transaction (normally 'inbox'). */
  mailbox: { id: string } | { specialUse: SpecialUse };
  /** \Seen on this copy (the sender's Sent copy is read); defaults to the request's flags. */
  seen?: boolean;
  /** \Flagged on this copy (a mail rule's "star"); defaults to false. */
  flagged?: boolean;
  /** IMAP keywords on this copy (a mail rule's "add label"); already valid atoms (RFC 9051 §2.3.2). */
  keywords?: string[];
  /**
   * Mail arriving for this account (MX, local delivery from the queue, a DSN, a local recipient of a
   * send): the delivery statement also writes its `message.received` event (issue 13). Not for
   * Sent copies, drafts, APPEND or imports.
   */
  incoming?: boolean;
}

export interface DeliveryRequest {
  raw: Buffer;
  summary: MessageSummaryFields;
  targets: DeliveryTarget[];
  envelopeFrom: string;
  internalDate?: Date;
  flags?: { seen?: boolean; draft?: boolean };
  /** SPF/DKIM/DMARC/ARC verdicts (MX ingress). */
  authResults?: unknown;
  /** DSN parameters of the SMTP transaction (RFC 3461). */
  dsn?: unknown;
  /**
   * IMAP APPEND: keep the message's ENVELOPE text on its row now (rawEnvelopeForms), so the
   * mailbox's first FETCH ENVELOPE need not UPDATE it. Not for the MX yet: with it bench/mx-cpu.mjs
   * measured 0.3–0.5 ms more CPU per message, from storing the text rather than computing it
   * (bench/README.md), and issue 10 weighs MX CPU; mail delivered without it gets the text on its
   * first FETCH, as before.
   */
  keepImapEnvelope?: boolean;
}

export interface StoredCopy {
  accountId: string;
  mailboxId: string;
  messageId: string;
  uid: number;
  modseq: string;
}

/** What changed, published after COMMIT (DESIGN invariant 6). */
export interface MailboxChange {
  accountId: string;
  mailboxId: string;
  kind: 'exists' | 'flags' | 'expunge';
  uids: number[];
  modseq: string;
}
