'use client';

import { type RefObject, useState } from 'react';
import type { RecipientChip } from '@/lib/addresses';
import type { Identity } from '@/lib/api';
import type { ComposeDraft } from '@/lib/compose-state';
import { RecipientField } from './recipient-field';

interface ComposeFieldsProps {
  draft: ComposeDraft;
  identities: Identity[];
  toRef: RefObject<HTMLInputElement | null>;
  autoFocusTo: boolean;
  onRecipients(field: 'to' | 'cc' | 'bcc', next: RecipientChip[]): void;
  onSubject(subject: string): void;
  onFrom(address: string): void;
}

/** From (when there is a choice), To, Cc and Bcc (on demand), Subject. */
export function ComposeFields({ draft, identities, toRef, autoFocusTo, onRecipients, onSubject, onFrom }: ComposeFieldsProps) {
  const [showCc, setShowCc] = useState(draft.cc.length > 0);
  const [showBcc, setShowBcc] = useState(draft.bcc.length > 0);
  const hasChoice = identities.length > 1 || (identities.length === 1 && identities[0]?.address !== draft.from && draft.from !== '');
  const options =
    identities.some((i) => i.address === draft.from) || !draft.from
      ? identities
      : [...identities, { address: draft.from, name: '', signatureHtml: '', isPrimary: false }];

  return (
    <div className="compose-fields">
      {hasChoice && (
        <div className="compose-row">
          <label className="compose-label" htmlFor="compose-from">
            From
          </label>
          <select id="compose-from" className="compose-select" value={draft.from} onChange={(e) => onFrom(e.target.value)}>
            {options.map((i) => (
              <option key={i.address} value={i.address}>
                {i.name ? `${i.name} <${i.address}>` : i.address}
              </option>
            ))}
          </select>
        </div>
      )}
      <RecipientField label="To" value={draft.to} onChange={(v) => onRecipients('to', v)} inputRef={toRef} autoFocus={autoFocusTo}>
        <span className="cc-toggles">
          {!showCc && (
            <button type="button" className="link-btn" aria-label="Add Cc recipients" onClick={() => setShowCc(true)}>
              Cc
            </button>
          )}
          {!showBcc && (
            <button type="button" className="link-btn" aria-label="Add Bcc recipients" onClick={() => setShowBcc(true)}>
              Bcc
            </button>
          )}
        </span>
      </RecipientField>
      {showCc && <RecipientField label="Cc" value={draft.cc} onChange={(v) => onRecipients('cc', v)} autoFocus={draft.cc.length === 0} />}
      {showBcc && (
        <RecipientField label="Bcc" value={draft.bcc} onChange={(v) => onRecipients('bcc', v)} autoFocus={draft.bcc.length === 0} />
      )}
      <div className="compose-row">
        <label className="compose-label" htmlFor="compose-subject">
          Subject
        </label>
        <input
          id="compose-subject"
          className="compose-subject"
          type="text"
          maxLength={998}
          value={draft.subject}
          onChange={(e) => onSubject(e.target.value)}
        />
      </div>
    </div>
  );
}
