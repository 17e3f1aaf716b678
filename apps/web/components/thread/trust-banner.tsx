'use client';

/**
 * Trust signals of a received message: a warning banner when its DMARC check failed or its From
 * domain only looks like a known one; the SPF/DKIM/DMARC verdicts one click away ("Security
 * details"); "Show original" with the raw source (GET /messages/:id/raw).
 */
import { useId, useState } from 'react';
import type { MessageDetail } from '@/lib/api';
import { ShieldAlertIcon } from '../icons';
import { OriginalDialog } from './original-dialog';
import type { TrustView } from './use-trust';

export function TrustBanner({ trust }: { trust: TrustView | null }) {
  if (!trust || trust.warnings.length === 0) return null;
  return (
    <div className="trust-banner" role="alert" data-testid="trust-warning">
      <ShieldAlertIcon width={20} height={20} />
      <div>
        <strong>Be careful with this message.</strong>
        {trust.warnings.map((w) => (
          <p key={w}>{w}</p>
        ))}
      </div>
    </div>
  );
}

const VERDICT_TEXT: Record<string, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  softfail: 'SOFTFAIL',
  neutral: 'NEUTRAL',
  none: 'NONE',
  temperror: 'TEMPERROR',
  permerror: 'PERMERROR',
  policy: 'POLICY',
  unknown: 'not checked',
};

export function AuthDetails({ trust, detail }: { trust: TrustView | null; detail: MessageDetail }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isOriginal, setIsOriginal] = useState(false);
  const id = useId();
  return (
    <div className="auth-details">
      <button
        type="button"
        className="link-btn"
        aria-expanded={isOpen}
        aria-controls={id}
        onClick={() => setIsOpen((v) => !v)}
        data-testid="security-details"
      >
        Security details
      </button>
      <button type="button" className="link-btn" onClick={() => setIsOriginal(true)} data-testid="show-original">
        Show original
      </button>
      {isOpen && (
        <dl id={id} className="auth-list" data-testid="auth-verdicts">
          <AuthRow name="SPF" value={trust?.spf ?? 'unknown'} />
          <AuthRow name="DKIM" value={trust?.dkim ?? 'unknown'} />
          <AuthRow name="DMARC" value={trust?.dmarc ?? 'unknown'} />
          {trust && !trust.checked && <p className="muted">This message did not arrive over the Internet, so it was not checked.</p>}
        </dl>
      )}
      {isOriginal && <OriginalDialog detail={detail} trust={trust} onClose={() => setIsOriginal(false)} />}
    </div>
  );
}

function AuthRow({ name, value }: { name: string; value: string }) {
  return (
    <div className={`auth-row auth-${value}`}>
      <dt>{name}</dt>
      <dd>{VERDICT_TEXT[value] ?? value.toUpperCase()}</dd>
    </div>
  );
}
