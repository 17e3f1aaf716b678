/**
 * Reply, Reply all and Forward from a received message: recipients, subject, threading headers
 * and the quoted body. Pure, so the rules are unit-tested.
 */
import type { Address, MessageDetail } from './api';
import { escapeHtml, signatureBlock, textToHtml } from './compose-html';
import type { Recipient } from './addresses';

export type ReplyKind = 'reply' | 'replyAll' | 'forward';

type Original = Pick<MessageDetail, 'from' | 'to' | 'cc' | 'replyTo' | 'subject' | 'messageId' | 'references' | 'html' | 'text'>;

const REPLY_PREFIX = /^\s*(re|aw|sv|antw)\s*(\[\d+\])?\s*:/i;
const FORWARD_PREFIX = /^\s*(fwd?|fw|wg|tr)\s*:/i;

/** `Re: ` / `Fwd: ` once: a subject that already carries the prefix of that kind keeps its own. */
export function replySubject(kind: ReplyKind, subject: string): string {
  const s = subject.trim();
  if (kind === 'forward') return FORWARD_PREFIX.test(s) ? s : `Fwd: ${s}`.trimEnd();
  return REPLY_PREFIX.test(s) ? s : `Re: ${s}`.trimEnd();
}

function toRecipient(a: Address): Recipient {
  return a.name.trim() ? { name: a.name.trim(), address: a.address } : { address: a.address };
}

/**
 * Reply goes to Reply-To if present, else From; answering one's own message (a Sent copy) goes to
 * its To instead. Reply all adds the original To and Cc, minus the account's own addresses and
 * duplicates. Forward starts empty.
 */
export function replyRecipients(
  kind: ReplyKind,
  original: Original,
  ownAddresses: readonly string[],
): { to: Recipient[]; cc: Recipient[] } {
  if (kind === 'forward') return { to: [], cc: [] };
  const own = new Set(ownAddresses.map((a) => a.toLowerCase()));
  const isOwn = (a: Address) => own.has(a.address.toLowerCase());
  const seen = new Set<string>();
  const take = (list: readonly Address[]) =>
    list.filter((a) => {
      const key = a.address.toLowerCase();
      if (!a.address || seen.has(key) || isOwn(a)) return false;
      seen.add(key);
      return true;
    });

  const fromSelf = isOwn(original.from) && original.replyTo.length === 0;
  const primary = original.replyTo.length > 0 ? original.replyTo : fromSelf ? original.to : [original.from];
  // Own addresses are taken out of Reply all only; a plain reply to oneself is what was asked for.
  const to = kind === 'reply' ? dedupe(primary) : take(primary);
  if (kind === 'reply') return { to: to.map(toRecipient), cc: [] };
  const moreTo = fromSelf ? [] : take(original.to);
  const cc = take(original.cc);
  return { to: [...to, ...moreTo].map(toRecipient), cc: cc.map(toRecipient) };
}

function dedupe(list: readonly Address[]): Address[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = a.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** In-Reply-To and References (RFC 5322 §3.6.4): the original's references, then its Message-ID. */
export function threadingFor(original: Pick<Original, 'messageId' | 'references'>): { inReplyTo?: string; references?: string[] } {
  if (!original.messageId) return original.references.length ? { references: original.references.slice(-100) } : {};
  const refs = original.references.filter((r) => r !== original.messageId);
  return { inReplyTo: original.messageId, references: [...refs, original.messageId].slice(-100) };
}

function formatPerson(a: Address): string {
  return a.name.trim() ? `${a.name.trim()} <${a.address}>` : a.address;
}

function originalBodyHtml(original: Original): string {
  return original.html ?? textToHtml(original.text);
}

/**
 * The body a reply or forward starts with: an empty line to write in, the signature, then the
 * quote ("On <date>, <name> wrote:" + blockquote, in a `data-quote` block) or the forwarded-message
 * header and the original.
 */
export function buildReplyBody(kind: ReplyKind, original: Original, dateText: string, signatureHtml: string): string {
  const top = `<p></p>${signatureBlock(signatureHtml)}`;
  if (kind === 'forward') {
    const lines = [
      '---------- Forwarded message ---------',
      `From: ${formatPerson(original.from)}`,
      `Date: ${dateText}`,
      `Subject: ${original.subject}`,
      `To: ${original.to.map(formatPerson).join(', ')}`,
      ...(original.cc.length ? [`Cc: ${original.cc.map(formatPerson).join(', ')}`] : []),
    ];
    return `${top}<p>${lines.map(escapeHtml).join('<br>')}</p>${originalBodyHtml(original)}`;
  }
  const who = escapeHtml(formatPerson(original.from));
  // The quote is one block (data-quote) so the compose window can fold it away, as Gmail does.
  return `${top}<div data-quote=""><p>On ${escapeHtml(dateText)}, ${who} wrote:</p><blockquote>${originalBodyHtml(original)}</blockquote></div>`;
}
