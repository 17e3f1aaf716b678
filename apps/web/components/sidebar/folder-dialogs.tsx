'use client';

/** Create / rename / delete a folder (POST/PATCH/DELETE /api/v1/mailboxes). "/" nests ("Projects/2026"). */
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api, type MailboxView } from '@/lib/api';
import { FormDialog, useDialogSubmit } from '../common/form-dialog';
import { useMail } from '../mail/mail-store';

export type FolderDialogState =
  | { kind: 'create'; parent: MailboxView | null }
  | { kind: 'rename'; mailbox: MailboxView }
  | { kind: 'delete'; mailbox: MailboxView };

export function FolderDialog({ state, onClose }: { state: FolderDialogState; onClose(): void }) {
  const { mailboxes, refreshMailboxes, notify } = useMail();
  const router = useRouter();
  const custom = (mailboxes ?? []).filter((m) => !m.specialUse);
  const [name, setName] = useState(state.kind === 'rename' ? leaf(state.mailbox.name) : '');
  const [parent, setParent] = useState(
    state.kind === 'create' ? (state.parent?.name ?? '') : state.kind === 'rename' ? parentOf(state.mailbox.name) : '',
  );
  // e.g. 404 on a server without folder management, 409 for a taken name: said in the dialog.
  const { submit, error, isBusy } = useDialogSubmit(async () => {
    if (state.kind === 'delete') {
      await api.deleteMailbox(state.mailbox.id);
      notify(`Folder “${state.mailbox.name}” deleted.`);
      router.push('/mail');
    } else {
      const full = parent ? `${parent}/${name.trim()}` : name.trim();
      if (state.kind === 'create') await api.createMailbox(full);
      else await api.renameMailbox(state.mailbox.id, full);
      notify(state.kind === 'create' ? `Folder “${full}” created.` : `Folder renamed to “${full}”.`);
    }
    await refreshMailboxes();
    onClose();
  });

  if (state.kind === 'delete') {
    const m = state.mailbox;
    const children = custom.filter((c) => c.name.startsWith(`${m.name}/`));
    return (
      <FormDialog title={`Delete folder “${m.name}”?`} onClose={onClose} onSubmit={submit} error={error} submitLabel="Delete folder" submitDisabled={isBusy} danger>
        <p data-testid="delete-folder-consequence">
          {m.total === 0
            ? 'The folder is empty.'
            : `Its ${m.total.toLocaleString('en-US')} ${m.total === 1 ? 'message' : 'messages'} will be deleted with it, for good (they do not go to Trash). Move any you want to keep first.`}
          {children.length > 0 && ` Its ${children.length === 1 ? 'subfolder stays' : `${children.length} subfolders stay`}.`}
        </p>
      </FormDialog>
    );
  }

  return (
    <FormDialog
      title={state.kind === 'create' ? 'New folder' : 'Rename folder'}
      onClose={onClose}
      onSubmit={submit}
      error={error}
      submitLabel={state.kind === 'create' ? 'Create' : 'Save'}
      submitDisabled={isBusy || !name.trim()}
    >
      <label className="settings-field">
        <span className="field-label">Folder name</span>
        <input className="text-input" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} data-autofocus />
      </label>
      <label className="settings-field">
        <span className="field-label">Nest folder under</span>
        <select className="compose-select" value={parent} onChange={(e) => setParent(e.target.value)}>
          <option value="">(no parent)</option>
          {custom
            .filter((c) => state.kind !== 'rename' || (c.id !== state.mailbox.id && !c.name.startsWith(`${state.mailbox.name}/`)))
            .map((c) => (
              <option key={c.id} value={c.name}>
                {c.name}
              </option>
            ))}
        </select>
      </label>
    </FormDialog>
  );
}

export function leaf(name: string): string {
  return name.split('/').pop() ?? name;
}

function parentOf(name: string): string {
  const i = name.lastIndexOf('/');
  return i === -1 ? '' : name.slice(0, i);
}
