'use client';

import { useRef, useState } from 'react';
import type { CreatedApiKey } from '@/lib/api';
import styles from './api-keys.module.css';

/** The new key's secret, shown this once (the server keeps only its hash), with a copy button. */
export function NewApiKeyNotice({ created, onDone }: { created: CreatedApiKey; onDone(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopyState('copied');
    } catch {
      // No clipboard permission (or not a secure context): select the text for Ctrl+C instead.
      input.current?.select();
      setCopyState('failed');
    }
  };

  return (
    <section className={styles.secret} aria-labelledby="new-key-h" data-testid="new-api-key">
      <h2 id="new-key-h" style={{ margin: 0, fontSize: 15 }}>
        Key “{created.name}” created
      </h2>
      <p>Copy it now: it is shown only this once. Anyone with it can use your mail within its scopes.</p>
      <div className={styles.secretRow}>
        <input
          ref={input}
          className={styles.secretInput}
          readOnly
          value={created.key}
          aria-label="New API key"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn btn-primary" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className={styles.hint}>
        {copyState === 'copied' ? 'Copied to the clipboard.' : copyState === 'failed' ? 'Could not copy: the key is selected, press Ctrl+C.' : ''}
      </p>
    </section>
  );
}
