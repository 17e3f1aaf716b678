'use client';

import { useState } from 'react';
import { api, type Identity } from '@/lib/api';
import { isBlankBody } from '@/lib/compose-html';
import { RichEditor } from '../compose/rich-editor';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';

/** One identity's signature: the compose editor, and Save (PUT /compose/signatures/:address). */
export function SignatureEditor({ identity, onSaved }: { identity: Identity; onSaved(): void }) {
  const { reportError } = useMail();
  const { notify } = useCompose();
  const [html, setHtml] = useState(identity.signatureHtml);
  const [isSaving, setIsSaving] = useState(false);
  const label = `Signature for ${identity.address}`;

  const save = async () => {
    setIsSaving(true);
    try {
      await api.updateSignature(identity.address, isBlankBody(html) ? '' : html);
      notify({ text: 'Signature saved' });
      onSaved();
    } catch (err) {
      reportError(err);
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <div className="signature-block">
      <h3 className="signature-title">{identity.name ? `${identity.name} <${identity.address}>` : identity.address}</h3>
      <RichEditor className="signature-editor" label={label} initialHtml={identity.signatureHtml} onChange={setHtml} />
      <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={isSaving}>
        Save
      </button>
    </div>
  );
}
