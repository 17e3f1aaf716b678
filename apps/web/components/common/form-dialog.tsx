'use client';

/**
 * A dialog that is one form: its fields, the error the server gave (said in the dialog, e.g. a
 * taken name), Cancel and one submit button (red for what cannot be undone). useDialogSubmit runs
 * the action once at a time and keeps the dialog open with the error when it fails.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { errorText } from '../mail/mail-store';
import { Modal } from './modal';

export function useDialogSubmit(action: () => Promise<void>): { submit(e: FormEvent): Promise<void>; error: string | null; isBusy: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setIsBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setIsBusy(false);
    }
  };
  return { submit, error, isBusy };
}

export function FormDialog(props: {
  title: string;
  onClose(): void;
  onSubmit(e: FormEvent): void;
  error: string | null;
  submitLabel: string;
  submitDisabled: boolean;
  danger?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form onSubmit={props.onSubmit} className="dialog-form">
        {props.children}
        {props.error && (
          <p role="alert" className="form-error">
            {props.error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className={props.danger ? 'btn btn-danger' : 'btn btn-primary'} disabled={props.submitDisabled}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
