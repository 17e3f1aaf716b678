'use client';

import { useId } from 'react';
import { accountApi, type WebSessionView } from '@/lib/account-api';
import { useLoadedList } from '../common/use-loaded-list';
import { useCompose } from '../compose/compose-context';
import { useMail } from '../mail/mail-store';

const when = (iso: string) => new Date(iso).toLocaleString();

/** Settings → Security → Where you're signed in: each web session with "Sign out", and all the others at once. */
export function SessionList({ version }: { version: number }) {
  const { reportError } = useMail();
  const { notify } = useCompose();
  const id = useId();
  // `version` changes when a password change signed the others out: read the list again.
  const { items: sessions, reload } = useLoadedList(async (signal) => (await accountApi.sessions(signal)).sessions, reportError, version);

  const signOut = async (s: WebSessionView) => {
    try {
      await accountApi.signOutSession(s.id);
      notify({ text: `Signed out ${s.device}` });
      await reload();
    } catch (err) {
      reportError(err);
    }
  };

  const signOutOthers = async () => {
    try {
      const { signedOut } = await accountApi.signOutOthers();
      notify({ text: signedOut ? `Signed out ${signedOut} other session(s)` : 'No other sessions' });
      await reload();
    } catch (err) {
      reportError(err);
    }
  };

  const others = sessions?.filter((s) => !s.isCurrent) ?? [];
  return (
    <section className="settings-section" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Where you&apos;re signed in</h2>
      {sessions === null && <p className="muted">Loading…</p>}
      {sessions && (
        <ul className="settings-list" data-testid="session-list">
          {sessions.map((s) => (
            <li key={s.id} className="settings-list-item" data-testid="session-row">
              <div>
                <strong>{s.device}</strong>
                {s.isCurrent && <span className="settings-badge"> This browser</span>}
                <div className="muted">
                  {s.ip || 'unknown address'} · last seen {when(s.lastSeenAt)} · signed in {when(s.createdAt)}
                </div>
              </div>
              {!s.isCurrent && (
                <button
                  type="button"
                  className="btn"
                  aria-label={`Sign out ${s.device}, last seen ${when(s.lastSeenAt)}`}
                  onClick={() => void signOut(s)}
                >
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <button type="button" className="btn" onClick={() => void signOutOthers()}>
          Sign out all other sessions
        </button>
      )}
    </section>
  );
}
