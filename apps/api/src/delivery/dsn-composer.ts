import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

// nodemailer's MIME tree builder (the engine under its MailComposer, which only makes
// multipart/mixed and /alternative): it encodes headers, folds lines and picks transfer encodings.
const require = createRequire(import.meta.url);
const MimeNode = require('nodemailer/lib/mime-node') as new (contentType?: string, options?: Record<string, unknown>) => MimeTreeNode;

interface MimeTreeNode {
  createChild(contentType: string, options?: Record<string, unknown>): MimeTreeNode;
  setHeader(key: string, value: string | Date | { prepared: boolean; value: string }): MimeTreeNode;
  setContent(content: string | Buffer): MimeTreeNode;
  setEnvelope(envelope: { from: string | false; to: string[] }): MimeTreeNode;
  build(): Promise<Buffer>;
}

/** One recipient line of a delivery status notification (RFC 3464 §2.3). */
export interface DsnRecipient {
  address: string;
  /** ORCPT as the client gave it (RFC 3461 §4.2), e.g. "rfc822;joel@ifsc.edu". */
  orcpt: string | null;
  action: 'failed' | 'delayed';
  /** RFC 3463 enhanced status code, e.g. 5.1.1. */
  status: string;
  /** The remote server's reply (an SMTP reply line) or our own reason. */
  diagnostic: string;
  remoteHost: string | null;
  lastAttemptAt: Date;
  /** Delayed only: when we give up (RFC 3464 §2.3.8). */
  willRetryUntil?: Date;
}

export interface DsnInput {
  /** Our host name (Reporting-MTA, the From of the report). */
  reportingMta: string;
  /** Envelope sender of the original message: the DSN's only recipient. */
  to: string;
  envid: string | null;
  /** RET=FULL returns the whole message; otherwise (HDRS or absent) the header section only. */
  ret: string | null;
  arrivalDate: Date;
  original: Buffer;
  recipients: DsnRecipient[];
}

// RFC 3461 §4.2: ORCPT and ENVID are xtext ("+2B" for "+"); the report carries them decoded.
export const xtextDecode = (s: string) => s.replace(/\+([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
// Header fields of the report are single lines: a multi-line SMTP reply is joined.
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim();

/** The RFC 3463 status of a reply: its own enhanced code when it has one, else from the basic code. */
export function enhancedStatus(reply: string, permanent: boolean): string {
  const own = /^[245]\d\d[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(reply);
  if (own) return own[1]!;
  if (/null MX/.test(reply)) return '5.1.10'; // RFC 7505 §4.2
  if (/no such domain/.test(reply)) return '5.1.2';
  const basic = /^([45])\d\d\b/.exec(reply);
  if (basic) return `${basic[1]}.0.0`;
  return permanent ? '5.0.0' : '4.4.1'; // 4.4.1: no answer from host (connection failures)
}

function headerSection(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  if (end >= 0) return raw.subarray(0, end + 2);
  const lf = raw.indexOf('\n\n');
  return lf >= 0 ? raw.subarray(0, lf + 1) : raw;
}

function deliveryStatus(input: DsnInput): string {
  // RFC 3464 §2.2: per-message fields, a blank line, then one block per recipient (§2.3).
  const lines = [`Reporting-MTA: dns; ${input.reportingMta}`];
  if (input.envid) lines.push(`Original-Envelope-Id: ${oneLine(xtextDecode(input.envid))}`);
  lines.push(`Arrival-Date: ${input.arrivalDate.toUTCString().replace('GMT', '+0000')}`);
  for (const r of input.recipients) {
    lines.push('');
    if (r.orcpt) {
      const orcpt = xtextDecode(r.orcpt);
      lines.push(`Original-Recipient: ${oneLine(orcpt.includes(';') ? orcpt.replace(';', '; ') : `rfc822; ${orcpt}`)}`);
    }
    lines.push(`Final-Recipient: rfc822; ${r.address}`, `Action: ${r.action}`, `Status: ${r.status}`);
    if (r.remoteHost) lines.push(`Remote-MTA: dns; ${r.remoteHost}`);
    // "smtp" only for what a server answered (RFC 3464 §2.3.6); our own reasons are X-Correio.
    const isReply = /^[2-5]\d\d\b/.test(r.diagnostic);
    lines.push(`Diagnostic-Code: ${isReply ? 'smtp' : 'X-Correio'}; ${oneLine(r.diagnostic).slice(0, 900)}`);
    lines.push(`Last-Attempt-Date: ${r.lastAttemptAt.toUTCString().replace('GMT', '+0000')}`);
    if (r.willRetryUntil) lines.push(`Will-Retry-Until: ${r.willRetryUntil.toUTCString().replace('GMT', '+0000')}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function humanText(input: DsnInput): string {
  const failed = input.recipients.filter((r) => r.action === 'failed');
  const delayed = input.recipients.filter((r) => r.action === 'delayed');
  const parts = [`This is the mail system at ${input.reportingMta}.`, ''];
  if (failed.length) {
    parts.push('Your message could not be delivered to the following recipients. This is a permanent error.', '');
    for (const r of failed) parts.push(`<${r.address}>: ${oneLine(r.diagnostic)}`);
  }
  if (delayed.length) {
    const until = delayed[0]!.willRetryUntil;
    parts.push('Your message has not been delivered yet to the following recipients. It is still being retried', `${until ? `until ${until.toUTCString()}` : ''}; you do not need to send it again.`, '');
    for (const r of delayed) parts.push(`<${r.address}>: ${oneLine(r.diagnostic)}`);
  }
  return `${parts.join('\r\n')}\r\n`;
}

/**
 * A delivery status notification (RFC 3464) as a multipart/report (RFC 6522, was RFC 3462):
 * a human-readable part, the message/delivery-status part, and the original message (RET=FULL)
 * or its header section (text/rfc822-headers). Sent from the null sender, with
 * Auto-Submitted: auto-replied (RFC 3834) so that no auto-responder answers it.
 */
export async function composeDsn(input: DsnInput): Promise<Buffer> {
  const isDelay = input.recipients.every((r) => r.action === 'delayed');
  const root = new MimeNode('multipart/report; report-type=delivery-status', { newline: 'win', hostname: input.reportingMta });
  root.setHeader('From', `Mail Delivery System <MAILER-DAEMON@${input.reportingMta}>`);
  root.setHeader('To', input.to);
  root.setHeader('Subject', isDelay ? 'Delayed Mail (still being retried)' : 'Undelivered Mail Returned to Sender');
  root.setHeader('Date', new Date());
  root.setHeader('Message-ID', `<${Date.now().toString(36)}.${randomBytes(8).toString('hex')}@${input.reportingMta}>`);
  root.setHeader('Auto-Submitted', 'auto-replied');
  root.createChild('text/plain; charset=us-ascii').setHeader('Content-Description', 'Notification').setContent(humanText(input));
  root.createChild('message/delivery-status').setHeader('Content-Description', 'Delivery report').setContent(deliveryStatus(input));
  const full = (input.ret ?? '').toUpperCase() === 'FULL';
  const original = full ? input.original : headerSection(input.original);
  const is8bit = original.some((b) => b > 0x7f);
  root
    .createChild(full ? 'message/rfc822' : 'text/rfc822-headers')
    .setHeader('Content-Description', full ? 'Undelivered Message' : 'Undelivered Message Headers')
    // Sent as is: RFC 6522 allows 8bit here only when the transport does; else it would need encoding.
    .setHeader('Content-Transfer-Encoding', is8bit ? '8bit' : '7bit')
    .setContent(original);
  return root.build();
}

/**
 * Whether the sender asked for this kind of notice (RFC 3461 §4.1): NOTIFY=NEVER never; an
 * explicit list only for what it names; no NOTIFY at all means failures and (our choice, as the
 * RFC allows) delay warnings.
 */
export function wantsNotice(notify: string | null, kind: 'failure' | 'delay'): boolean {
  if (!notify) return true;
  const values = notify.toUpperCase().split(',').map((v) => v.trim());
  if (values.includes('NEVER')) return false;
  return values.includes(kind === 'failure' ? 'FAILURE' : 'DELAY');
}
