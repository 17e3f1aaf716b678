import type { VacationSettings } from './rule-types';

export interface VacationInput {
  /** The envelope sender (MAIL FROM); '' is <>. */
  envelopeFrom: string;
  /** Lower-case header name → values. */
  headers: Map<string, string[]>;
  /** The account's own addresses (its address and aliases), lower case. */
  ownAddresses: readonly string[];
  /** To, Cc (and Bcc if any) addresses of the message, lower case. */
  recipients: readonly string[];
  now: Date;
}

export type VacationVerdict = { reply: true; to: string } | { reply: false; why: string };

/**
 * Whether the vacation responder may answer this message (RFC 3834 §2, RFC 5230 §4.5–4.6). The
 * "once per sender in :days" memory is the caller's (it lives in the database).
 */
export function vacationVerdict(v: VacationSettings | null | undefined, m: VacationInput): VacationVerdict {
  if (!v?.enabled) return { reply: false, why: 'off' };
  if (v.startsAt && m.now < v.startsAt) return { reply: false, why: 'not started' };
  if (v.endsAt && m.now >= v.endsAt) return { reply: false, why: 'ended' };
  const to = m.envelopeFrom.trim().toLowerCase();
  // RFC 3834 §2: never to a null return path (bounces, other automatic replies).
  if (!to.includes('@')) return { reply: false, why: 'null sender' };
  // RFC 5230 §4.6: not to the user's own addresses, nor to typical robot senders.
  if (m.ownAddresses.includes(to)) return { reply: false, why: 'own address' };
  const local = to.slice(0, to.lastIndexOf('@'));
  if (/^(owner-.*|.*-request|mailer-daemon|listserv|majordomo|postmaster|no-?reply)$/.test(local))
    return { reply: false, why: 'robot sender' };
  const h = (n: string) => m.headers.get(n) ?? [];
  // RFC 3834 §5: Auto-Submitted other than "no" is automatic mail; never answer it.
  if (h('auto-submitted').some((x) => x.trim().toLowerCase().split(';')[0]!.trim() !== 'no'))
    return { reply: false, why: 'auto-submitted' };
  // RFC 3834 §2 / RFC 2369, RFC 2919: mailing lists; Precedence bulk/list/junk is the older sign.
  for (const name of m.headers.keys()) if (name.startsWith('list-')) return { reply: false, why: 'mailing list' };
  if (h('precedence').some((x) => /^(bulk|list|junk)$/i.test(x.trim()))) return { reply: false, why: 'bulk precedence' };
  if (h('x-auto-response-suppress').some((x) => /\b(all|oof|autoreply)\b/i.test(x))) return { reply: false, why: 'suppressed' };
  // RFC 5230 §4.5: only when one of the user's addresses is a visible recipient (not a Bcc'd list copy).
  if (m.ownAddresses.length > 0 && !m.recipients.some((r) => m.ownAddresses.includes(r)))
    return { reply: false, why: 'not addressed to the user' };
  return { reply: true, to };
}

/** RFC 5230 §4.4 / RFC 3834 §3.1.5: "Auto: " + the original subject, when the user set none. */
export function vacationSubject(v: VacationSettings, original: string): string {
  if (v.subject.trim()) return v.subject;
  const s = original.replace(/^\s*(re|auto)\s*:\s*/i, '').trim();
  return `Auto: ${s || 'Out of office'}`;
}
