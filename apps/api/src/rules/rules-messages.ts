import { composeMessage, type MessageSummaryFields } from '@correio/mime';
import { type VacationSettings, vacationSubject } from '@correio/mail-rules';
import { sealMessage } from 'mailauth';
import type { DkimSigner } from '../delivery/dkim-signing.js';

/**
 * The vacation reply (RFC 3834 §3): from the account, to the sender, "Auto-Submitted: auto-replied"
 * (§5) so no other responder answers it, In-Reply-To and References (§3.1.5) so it threads.
 */
export async function buildVacationReply(a: {
  vacation: VacationSettings;
  from: { name: string; address: string };
  to: string;
  original: MessageSummaryFields;
  hostname: string;
}): Promise<Buffer> {
  const msgId = a.original.messageId ?? undefined;
  const { raw } = await composeMessage({
    from: a.from,
    to: [{ address: a.to }],
    subject: vacationSubject(a.vacation, a.original.subject),
    text: a.vacation.message,
    inReplyTo: msgId,
    references: msgId ? [...a.original.references, msgId] : undefined,
    messageIdDomain: a.hostname,
  });
  return Buffer.concat([Buffer.from('Auto-Submitted: auto-replied\r\n'), raw]);
}

/**
 * A forwarded copy: "Delivered-To: <the forwarding account>" first (what the next hop, or we, see
 * when the mail comes back: loop detection, RFC 5321 §6.3), then an ARC set (RFC 8617) sealing what
 * our MX verified, so the destination can trust SPF/DKIM/DMARC as they were before the forward.
 * ARC requires rsa-sha256; without an RSA key for the domain the copy goes unsealed.
 */
export async function buildForwardCopy(a: {
  raw: Buffer;
  forwardedBy: string;
  signers: DkimSigner[];
  /** Our Authentication-Results for the message (authserv-id first), if the MX wrote one. */
  authResults: string | undefined;
  /** The chain's state as our MX verified it: none without ARC headers before us. */
  chain: 'none' | 'pass' | 'fail';
}): Promise<Buffer> {
  const marked = Buffer.concat([Buffer.from(`Delivered-To: ${a.forwardedBy}\r\n`), a.raw]);
  const rsa = a.signers.find((s) => s.algorithm.startsWith('rsa'));
  if (!rsa || typeof rsa.privateKey !== 'string') return marked;
  const seal = await sealMessage(marked, {
    signingDomain: rsa.signingDomain,
    selector: rsa.selector,
    privateKey: rsa.privateKey,
    authResults: a.authResults ?? `${rsa.signingDomain}; none`,
    cv: a.chain,
  } as never);
  return Buffer.concat([seal, marked]);
}

/** Count of Delivered-To fields naming `address` (ours, written when we forwarded this message before). */
export function timesForwardedBy(headers: Map<string, string[]>, address: string): number {
  const a = address.toLowerCase();
  return (headers.get('delivered-to') ?? []).filter((v) => v.trim().toLowerCase() === a).length;
}
