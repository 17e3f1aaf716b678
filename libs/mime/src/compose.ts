import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';

export interface ComposeAddress {
  name?: string;
  address: string;
}

export interface ComposeFields {
  from: ComposeAddress;
  to: ComposeAddress[];
  cc?: ComposeAddress[];
  /** Never written into the message (RFC 5322 §3.6.3 lets the sender leave Bcc out); envelope only. */
  bcc?: ComposeAddress[];
  replyTo?: ComposeAddress;
  subject: string;
  text?: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  attachments?: { filename: string; contentType: string; content: Buffer }[];
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
    replyTo: f.replyTo,
    subject: f.subject,
    text: f.text,
    html: f.html,
    inReplyTo: f.inReplyTo,
    references: f.references,
    attachments: f.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    date: f.date ?? new Date(),
    messageId,
    // Content comes only from the request: never from a file or a URL named in it.
    disableFileAccess: true,
    disableUrlAccess: true,
    // RFC 5322 §2.3: CRLF line ends, whatever the form sent (browsers send LF).
    newline: 'windows',
  }).compile();
  return { raw: await node.build(), messageId };
}
