'use client';

import { useState } from 'react';

/** The ten recovery codes, shown this once (the server keeps only their hashes), with a copy button. */
export function RecoveryCodesNotice({ codes, onDone }: { codes: string[]; onDone(): void }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="secret-notice" aria-label="Recovery codes" data-testid="recovery-codes">
      <p>
        <strong>Save these recovery codes.</strong> Each one signs you in once if you lose your phone. They are shown only now.
      </p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="settings-actions">
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          Copy codes
        </button>
        <button type="button" className="btn" onClick={onDone}>
          I saved them
        </button>
      </div>
      <p role="status" className="muted">
        {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Could not copy: select the codes and copy them.' : ''}
      </p>
    </section>
  );
}
