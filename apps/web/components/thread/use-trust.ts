'use client';

import { useEffect, useState } from 'react';
import { api, type MessageDetail, type MessageTrust } from '@/lib/api';
import { parseAuthenticationResults, trustWarnings } from '@/lib/trust';

export interface TrustView {
  spf: string;
  dkim: string;
  dmarc: string;
  /** Sentences for the warning banner; empty when nothing is wrong. */
  warnings: string[];
  /** The server checked it at delivery (false for sent/imported mail). */
  checked: boolean;
  signatures: MessageTrust['dkimSignatures'];
}

/**
 * The message's SPF/DKIM/DMARC verdicts and warnings: the server's (GET /messages/:id/trust), or,
 * where that endpoint is missing, read from its Authentication-Results header and the look-alike
 * check in lib/trust.ts.
 */
export function useTrust(detail: Pick<MessageDetail, 'id' | 'headers' | 'from'>, ownDomain: string): TrustView | null {
  const [trust, setTrust] = useState<TrustView | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: one read per message
  useEffect(() => {
    const ctrl = new AbortController();
    api.trust(detail.id, ctrl.signal).then(
      (t) => {
        const warnings = t.warning ? [t.warning] : [];
        if (!t.warning && t.dmarc === 'fail')
          warnings.push(`This message failed ${t.fromDomain}'s DMARC check. It may not be from who it says.`);
        if (!t.warning && t.lookalike)
          warnings.push(`${t.lookalike.domain} looks like ${t.lookalike.resembles} but is a different domain.`);
        setTrust({ spf: t.spf, dkim: t.dkim, dmarc: t.dmarc, warnings, checked: t.checked, signatures: t.dkimSignatures });
      },
      () => {
        if (ctrl.signal.aborted) return;
        const v = parseAuthenticationResults(detail.headers);
        const known = ownDomain ? [ownDomain] : [];
        const warnings = trustWarnings(detail.from.address, v, undefined).map((w) => w.text);
        for (const w of trustWarnings(detail.from.address, { ...v, dmarc: 'none' }, known)) warnings.push(w.text);
        setTrust({ spf: v.spf, dkim: v.dkim, dmarc: v.dmarc, warnings, checked: v.dmarc !== 'unknown', signatures: [] });
      },
    );
    return () => ctrl.abort();
  }, [detail.id]);
  return trust;
}
