'use client';

/** Create / edit (name, colour) / remove a label (labels are IMAP keywords: IMAP clients see them). */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, type LabelView } from '@/lib/api';
import { FormDialog, useDialogSubmit } from '../common/form-dialog';
import { useMail } from '../mail/mail-store';

/** Gmail-like palette; each passes 3:1 against white and dark text picks its own contrast. */
export const LABEL_COLOURS = ['#d93025', '#e37400', '#f9ab00', '#188038', '#1a73e8', '#9334e6', '#c5221f', '#5f6368', '#12b5cb', '#e52592'];

export type LabelDialogState = { kind: 'create' } | { kind: 'edit'; label: LabelView } | { kind: 'delete'; label: LabelView };

export function LabelDialog({ state, onClose }: { state: LabelDialogState; onClose(): void }) {
  const { refreshLabels, refreshList, notify } = useMail();
  const router = useRouter();
  const [name, setName] = useState(state.kind === 'create' ? '' : state.label.name);
  const [colour, setColour] = useState<string | null>(state.kind === 'create' ? null : state.label.colour);
  const { submit, error, isBusy } = useDialogSubmit(async () => {
    if (state.kind === 'create') {
      await api.createLabel({ name: name.trim(), colour });
      notify(`Label “${name.trim()}” created.`);
    } else if (state.kind === 'edit') {
      await api.updateLabel(state.label.id, { name: name.trim(), colour });
      notify('Label saved.');
    } else {
      await api.deleteLabel(state.label.id);
      notify(`Label “${state.label.name}” removed.`);
      router.push('/mail');
    }
    await Promise.all([refreshLabels(), refreshList()]);
    onClose();
  });

  if (state.kind === 'delete') {
    return (
      <FormDialog title={`Remove label “${state.label.name}”?`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Remove label" submitDisabled={isBusy} danger>
        <p>
          The label comes off {state.label.total === 1 ? 'the 1 message' : `the ${state.label.total.toLocaleString('en-US')} messages`}{' '}
          that carry it. The messages themselves stay where they are.
        </p>
      </FormDialog>
    );
  }

  return (
    <FormDialog
      title={state.kind === 'create' ? 'New label' : 'Edit label'}
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel={state.kind === 'create' ? 'Create' : 'Save'}
      submitDisabled={isBusy || !name.trim()}
    >
      <label className="settings-field">
        <span className="field-label">Label name</span>
        <input className="text-input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} data-autofocus />
      </label>
      <fieldset className="colour-field">
        <legend className="field-label">Label colour</legend>
        <label className="colour-swatch">
          <input type="radio" name="colour" checked={colour === null} onChange={() => setColour(null)} />
          <span className="swatch swatch-none" aria-hidden="true" />
          <span className="sr-only">No colour</span>
        </label>
        {LABEL_COLOURS.map((c) => (
          <label key={c} className="colour-swatch">
            <input type="radio" name="colour" checked={colour === c} onChange={() => setColour(c)} />
            <span className="swatch" style={{ backgroundColor: c }} aria-hidden="true" />
            <span className="sr-only">Colour {c}</span>
          </label>
        ))}
      </fieldset>
    </FormDialog>
  );
}
