import type { AuthVerdict, MessageTrust } from '@correio/contracts';

/** messages.auth_results as the MX writes it (smtp-ingress/inbound-authentication.ts AuthVerdicts). */
interface StoredVerdicts {
  spf?: unknown;
  dkim?: unknown;
  dmarc?: unknown;
}

const VERDICTS: readonly string[] = ['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy'];

function verdict(v: unknown): AuthVerdict {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return (VERDICTS.includes(s) ? s : 'none') as AuthVerdict;
}

/**
 * The stored verdicts as the trust view shows them. DMARC (RFC 7489 §6.6.2) is pass or fail only
 * when it was evaluated; none, temperror and permerror say nothing about the sender, shown as none.
 * DKIM: pass if any signature passed (RFC 6376 §6.1: each signature is judged alone), otherwise the
 * first signature's result.
 */
export function readVerdicts(raw: unknown): Pick<MessageTrust, 'checked' | 'dmarc' | 'spf' | 'dkim' | 'dkimSignatures'> {
  if (!raw || typeof raw !== 'object') return { checked: false, dmarc: 'none', spf: 'none', dkim: 'none', dkimSignatures: [] };
  const v = raw as StoredVerdicts;
  const signatures = (Array.isArray(v.dkim) ? v.dkim : [])
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
    .map((s) => ({ domain: String(s.domain ?? ''), selector: String(s.selector ?? ''), result: String(s.result ?? 'none') }));
  const dkim: AuthVerdict = signatures.some((s) => s.result === 'pass') ? 'pass' : signatures[0] ? verdict(signatures[0].result) : 'none';
  const dmarc = verdict(v.dmarc);
  return {
    checked: true,
    dmarc: dmarc === 'pass' || dmarc === 'fail' ? dmarc : 'none',
    spf: verdict(v.spf),
    dkim,
    dkimSignatures: signatures,
  };
}

/** The banner's sentence: DMARC failure first (the stronger signal), then a look-alike domain. */
export function warningFor(t: Pick<MessageTrust, 'dmarc' | 'lookalike' | 'fromDomain'>): string | undefined {
  if (t.dmarc === 'fail')
    return `This message claims to be from ${t.fromDomain} but failed its authentication checks (DMARC). It may be forged.`;
  if (t.lookalike) return `The sender's domain ${t.lookalike.domain} looks like ${t.lookalike.resembles} but is a different domain.`;
  return undefined;
}
