import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { htmlToPlainText } from './outgoing-html';

export interface ComposeAddress {
  name?: string;
  address: string;
}

export interface ComposeFields {
  from: ComposeAddress;
  to: ComposeAddress[];
  cc?: ComposeAddress[];
  /**
   * Not written into the message (RFC 5322 §3.6.3 lets the sender leave Bcc out; envelope only),
   * unless keepBcc: a draft keeps its Bcc so it comes back when resumed (IMAP clients do the same).
   */
  bcc?: ComposeAddress[];
  keepBcc?: boolean;
  replyTo?: ComposeAddress;
  subject: string;
  /** Without text, an HTML body gets a plain-text alternative derived from it (htmlToPlainText). */
  text?: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  /** With a contentId, an inline part the HTML shows as `cid:<contentId>` (multipart/related). */
  attachments?: { filename: string; contentType: string; content: Buffer; contentId?: string; inline?: boolean }[];
  date?: Date;
  /** The host part of the generated Message-ID (the server's name). */
  messageIdDomain: string;
}

export interface ComposedMessage {
  raw: Buffer;
  /** The Message-ID header's value, with its angle brackets. */
  messageId: string;
}

/**
 * Builds an RFC 5322 / MIME message from a form (the REST send path and the webmail): nodemailer's
 * MailComposer picks the structure (text, multipart/alternative with HTML, multipart/mixed with
 * attachments), encodes non-ASCII headers (RFC 2047) and bodies, and folds lines. Lines end in CRLF.
 */
export async function composeMessage(f: ComposeFields): Promise<ComposedMessage> {
  const messageId = `<${Date.now().toString(36)}.${randomBytes(9).toString('base64url')}@${f.messageIdDomain}>`;
  const node = new MailComposer({
    from: f.from,
    to: f.to,
    cc: f.cc,
    bcc: f.keepBcc ? f.bcc : undefined,
    replyTo: f.replyTo,
    subject: f.subject,
    text: f.text ?? (f.html !== undefined ? htmlToPlainText(f.html) : undefined),
    html: f.html,
    inReplyTo: f.inReplyTo,
    references: f.references,
    attachments: f.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : a.inline ? { contentDisposition: 'inline' as const } : {}),
    })),
    date: f.date ?? new Date(),
    messageId,
    // Content comes only from the request: never from a file or a URL named in it.
    disableFileAccess: true,
    disableUrlAccess: true,
    // RFC 5322 §2.3: CRLF line ends, whatever the form sent (browsers send LF).
    newline: 'windows',
  }).compile();
  if (f.keepBcc) node.keepBcc = true;
  return { raw: await node.build(), messageId };
}
