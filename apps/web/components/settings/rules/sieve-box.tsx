'use client';

/** Export the filters as a Sieve script, or import one (it replaces the filters). */
import { useState } from 'react';
import { useMail } from '../../mail/mail-store';
import { rulesApi } from './rules-api';

export function SieveBox({ onImported }: { onImported(): void }) {
  const { notify, reportError } = useMail();
  const [script, setScript] = useState('');
  const exportNow = async () => {
    try {
      setScript((await rulesApi.exportSieve()).script);
    } catch (err) {
      reportError(err);
    }
  };
  const importNow = async () => {
    try {
      const r = await rulesApi.importSieve(script);
      notify(`Imported ${r.items.length} filter(s)`);
      onImported();
    } catch (err) {
      reportError(err);
    }
  };
  return (
    <section className="settings-section" aria-labelledby="sieve-h">
      <h2 id="sieve-h">Import or export as Sieve</h2>
      <p className="muted">
        Filters as Sieve (RFC 5228 with fileinto, imap4flags, vacation and copy), to move them to or from another mail server. Importing
        replaces your filters.
      </p>
      <label className="settings-field rules-wide">
        <span className="field-label">Sieve script</span>
        <textarea rows={10} className="rules-mono" value={script} onChange={(e) => setScript(e.target.value)} spellCheck={false} />
      </label>
      <div className="rules-row">
        <button type="button" className="btn" onClick={() => void exportNow()}>
          Export filters
        </button>
        <button type="button" className="btn" disabled={!script.trim()} onClick={() => void importNow()}>
          Import script
        </button>
      </div>
    </section>
  );
}
