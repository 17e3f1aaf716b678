'use client';

/**
 * The admin pages' frame: a top bar (back to mail), the section navigation and the notices. The
 * layout above has already checked the admin role on the server; api.me() here only fetches the
 * CSRF token that every state-changing admin request carries.
 */
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api';
import { LogoMark } from '../icons';
import styles from './admin.module.css';
import { errorText } from './admin-api';

const SECTIONS = [
  { href: '/admin', label: 'Overview' },
  { href: '/admin/domains', label: 'Domains' },
  { href: '/admin/accounts', label: 'Accounts' },
  { href: '/admin/aliases', label: 'Aliases' },
  { href: '/admin/queue', label: 'Queue' },
  { href: '/admin/audit', label: 'Audit log' },
];

type Notice = { id: number; kind: 'info' | 'error'; text: string };
interface AdminContextValue {
  notify(text: string): void;
  reportError(err: unknown): void;
}
const AdminContext = createContext<AdminContextValue | null>(null);

export function useAdmin(): AdminContextValue {
  const ctx = useContext(AdminContext);
  if (!ctx) throw new Error('useAdmin outside AdminShell');
  return ctx;
}

export function AdminShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [ready, setReady] = useState(false);
  const [address, setAddress] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    const ctl = new AbortController();
    api.me(ctl.signal).then(
      (s) => {
        setAddress(s.account.address);
        setReady(true);
      },
      () => setReady(true),
    );
    return () => ctl.abort();
  }, []);

  const show = useCallback((kind: Notice['kind'], text: string) => {
    const id = ++seq.current;
    setNotice({ id, kind, text });
    setTimeout(() => setNotice((n) => (n?.id === id ? null : n)), kind === 'error' ? 10_000 : 6_000);
  }, []);
  const notify = useCallback((text: string) => show('info', text), [show]);
  const reportError = useCallback((err: unknown) => show('error', errorText(err)), [show]);

  return (
    <AdminContext.Provider value={{ notify, reportError }}>
      <div className={styles.shell}>
        <a href="#admin-main" className="skip-link">
          Skip to content
        </a>
        <header className={styles.topbar}>
          <Link href="/admin" className={styles.brand} aria-label="Correio admin overview">
            <LogoMark />
            <span>Correio admin</span>
          </Link>
          <span className={styles.spacer} />
          {address && <span className={styles.who}>{address}</span>}
          <Link href="/mail" className="topbar-link">
            Back to mail
          </Link>
        </header>
        <div className={styles.body}>
          <nav className={styles.nav} aria-label="Admin sections">
            <ul>
              {SECTIONS.map((s) => {
                const current = s.href === '/admin' ? pathname === '/admin' : pathname.startsWith(s.href);
                return (
                  <li key={s.href}>
                    <Link href={s.href} aria-current={current ? 'page' : undefined} className={current ? styles.navActive : undefined}>
                      {s.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <main id="admin-main" className={styles.main}>
            {ready ? children : <p className="muted">Loading…</p>}
          </main>
        </div>
        <div className="toast-region">
          <div role="status" aria-live="polite">
            {notice?.kind === 'info' && (
              <div key={notice.id} className="toast" data-testid="admin-toast">
                {notice.text}
              </div>
            )}
          </div>
          <div role="alert">
            {notice?.kind === 'error' && (
              <div key={notice.id} className="toast toast-error" data-testid="admin-toast">
                {notice.text}
              </div>
            )}
          </div>
        </div>
      </div>
    </AdminContext.Provider>
  );
}
