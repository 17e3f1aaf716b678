'use client';

/** "Show original": the verdicts and the message's raw source as text (never rendered as HTML). */
import { useEffect, useState } from 'react';
import { api, type MessageDetail, toApiError } from '@/lib/api';
import { Modal } from '../common/modal';
import type { TrustView } from './use-trust';

/** Enough to read any real message's headers and text; beyond it, download the .eml. */
const MAX_SHOWN = 512 * 1024;

export function OriginalDialog({ detail, trust, onClose }: { detail: MessageDetail; trust: TrustView | null; onClose(): void }) {
  const [raw, setRaw] = useState<{ text: string; isCut: boolean } | { error: string } | null>(null);
  useEffect(() => {
    const ctrl = new AbortController();
    fetch(api.rawUrl(detail.id), { credentials: 'same-origin', signal: ctrl.signal })
      .then(async (res) => {
        if (!res.ok) throw await toApiError(res);
        const text = await res.text();
        setRaw({ text: text.slice(0, MAX_SHOWN), isCut: text.length > MAX_SHOWN });
      })
      .catch((err: unknown) => {
        if (!ctrl.signal.aborted) setRaw({ error: err instanceof Error ? err.message : 'Could not load the original.' });
      });
    return () => ctrl.abort();
  }, [detail.id]);

  return (
    <Modal title="Original message" onClose={onClose} wide>
      <table className="original-summary">
        <tbody>
          <tr>
            <th scope="row">Message ID</th>
            <td>{detail.messageId ?? '—'}</td>
          </tr>
          <tr>
            <th scope="row">From</th>
            <td>{detail.from.address}</td>
          </tr>
          <tr>
            <th scope="row">SPF</th>
            <td>{(trust?.spf ?? 'unknown').toUpperCase()}</td>
          </tr>
          <tr>
            <th scope="row">DKIM</th>
            <td>{(trust?.dkim ?? 'unknown').toUpperCase()}</td>
          </tr>
          <tr>
            <th scope="row">DMARC</th>
            <td>{(trust?.dmarc ?? 'unknown').toUpperCase()}</td>
          </tr>
        </tbody>
      </table>
      <p>
        <a href={api.rawUrl(detail.id)} download={`message-${detail.id}.eml`}>
          Download original
        </a>
      </p>
      {raw === null && <p className="muted">Loading…</p>}
      {raw && 'error' in raw && <p role="alert">{raw.error}</p>}
      {raw && 'text' in raw && (
        // A scrolling region must be reachable by keyboard (WCAG 2.1.1), hence the tabIndex.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region (axe scrollable-region-focusable)
        <section className="original-source" data-testid="original-source" tabIndex={0} aria-label="Original source">
          <pre>
            {raw.text}
            {raw.isCut && '\n[…cut here: download the original for the rest]'}
          </pre>
        </section>
      )}
    </Modal>
  );
}
