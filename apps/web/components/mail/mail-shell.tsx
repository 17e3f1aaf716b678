'use client';

import { goTo as navigateTo } from '@/lib/open-item';
import { usePathname, useRouter } from 'next/navigation';
import { type ReactNode, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api, type SessionInfo } from '@/lib/api';
import { useShortcuts } from '@/lib/use-shortcuts';
import Link from 'next/link';
import { ComposeButton } from '../compose/compose-button';
import { ComposeProvider } from '../compose/compose-context';
import { KeyboardIcon, LogoMark, LogoutIcon, MenuIcon } from '../icons';
import { SearchBox } from '../search/search-box';
import { ThemeToggle } from '../theme/theme-toggle';
import { MailProvider, useMail } from './mail-store';
import { MailboxNav } from './mailbox-nav';
import { ShortcutHelp } from './shortcut-help';

type Gate = { kind: 'loading' } | { kind: 'ready'; session: SessionInfo } | { kind: 'error'; message: string };

/** Checks the session (GET /auth/me) before showing any mail; 401 → the login page. */
export function MailShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [gate, setGate] = useState<Gate>({ kind: 'loading' });
  // The path at first load is where to come back to after login; later navigations don't re-check.
  const firstPath = useRef(pathname);

  const check = useCallback(
    (signal?: AbortSignal) => {
      setGate({ kind: 'loading' });
      api.me(signal).then(
        (session) => setGate({ kind: 'ready', session }),
        (err: unknown) => {
          if (signal?.aborted) return;
          if (err instanceof ApiError && err.isUnauthorized) {
            router.replace(`/login?next=${encodeURIComponent(firstPath.current)}`);
            return;
          }
          setGate({ kind: 'error', message: err instanceof ApiError ? err.message : 'Could not load your session.' });
        },
      );
    },
    [router],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    check(ctrl.signal);
    return () => ctrl.abort();
  }, [check]);

  if (gate.kind === 'loading') {
    return (
      <div className="splash" aria-busy="true">
        <LogoMark width={40} height={40} />
      </div>
    );
  }
  if (gate.kind === 'error') {
    return (
      <div className="splash">
        <p>{gate.message}</p>
        <button type="button" className="btn" onClick={() => check()}>
          Try again
        </button>
      </div>
    );
  }
  return (
    <MailProvider session={gate.session}>
      <ComposeProvider>
        <MailFrame>{children}</MailFrame>
      </ComposeProvider>
    </MailProvider>
  );
}

/** Top bar, mailbox column and content; on narrow screens the mailbox column is a drawer. */
function MailFrame({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const router = useRouter();
  const { mailboxes } = useMail();
  const [isNavOpen, setIsNavOpen] = useState(false);
  const [isHelpOpen, setIsHelpOpen] = useState(false);
  const goTo = (use: 'inbox' | 'drafts' | 'sent') => {
    const mb = mailboxes?.find((m) => m.specialUse === use);
    if (mb) navigateTo(router, `/mail/${mb.id}`);
  };
  // Gmail's jumps and the help overlay; the list binds its own keys (mailbox-view.tsx).
  useShortcuts({
    '?': () => setIsHelpOpen(true),
    'g i': () => goTo('inbox'),
    'g s': () => navigateTo(router, '/mail/starred'),
    'g d': () => goTo('drafts'),
    'g t': () => goTo('sent'),
  });
  // Choosing a mailbox (a navigation) closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect is *about* pathname changing
  useEffect(() => setIsNavOpen(false), [pathname]);
  return (
    <div className={`app${isNavOpen ? ' nav-open' : ''}`}>
      <a href="#main" className="skip-link">
        Skip to messages
      </a>
      <TopBar onMenu={() => setIsNavOpen((v) => !v)} onHelp={() => setIsHelpOpen(true)} />
      <div className="workspace">
        <MailboxNav onNavigate={() => setIsNavOpen(false)} />
        {isNavOpen && <button type="button" className="nav-scrim" aria-label="Close menu" onClick={() => setIsNavOpen(false)} />}
        <main className="content" id="main">
          {children}
        </main>
      </div>
      <ComposeButton isFloating />
      <ToastView />
      {isHelpOpen && <ShortcutHelp onClose={() => setIsHelpOpen(false)} />}
    </div>
  );
}

function TopBar({ onMenu, onHelp }: { onMenu(): void; onHelp(): void }) {
  const { session, logout } = useMail();
  const { account } = session;
  const isSettings = usePathname() === '/settings';
  return (
    <header className="topbar">
      <button type="button" className="icon-btn menu-btn" onClick={onMenu} title="Mailboxes" data-testid="nav-toggle">
        <MenuIcon />
        <span className="sr-only">Mailboxes</span>
      </button>
      <div className="brand">
        <LogoMark />
        <span className="brand-name">Correio</span>
      </div>
      <Suspense fallback={<div className="search-form" />}>
        <SearchBox />
      </Suspense>
      <div className="topbar-spacer" />
      <button
        type="button"
        className="icon-btn topbar-optional"
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick={onHelp}
      >
        <KeyboardIcon />
      </button>
      <ThemeToggle />
      {/* issue 14: the admin dashboard, for admin accounts only (anyone else gets not-found there) */}
      {account.role === 'admin' && (
        <Link href="/admin" className="topbar-link" data-testid="admin-link">
          Admin
        </Link>
      )}
      <Link
        href="/settings"
        className={`topbar-link${isSettings ? ' active' : ''}`}
        aria-current={isSettings ? 'page' : undefined}
        data-testid="settings-link"
      >
        Settings
      </Link>
      <div className="account" data-testid="account">
        <span className="account-avatar" aria-hidden="true">
          {(account.displayName || account.address).slice(0, 1).toUpperCase()}
        </span>
        <span className="account-text">
          {account.displayName && <span className="account-name">{account.displayName}</span>}
          <span className="account-address" data-testid="account-address">
            {account.address}
          </span>
        </span>
        <button type="button" className="icon-btn" onClick={() => void logout()} title="Sign out" data-testid="logout">
          <LogoutIcon />
          <span className="sr-only">Sign out</span>
        </button>
      </div>
    </header>
  );
}

/**
 * Notices. The live regions are always in the DOM (a region added together with its text is not
 * announced reliably): status for confirmations, alert for errors. "Undo" sits inside the notice.
 */
function ToastView() {
  const { toast } = useMail();
  const info = toast && toast.kind === 'info' ? toast : null;
  const error = toast && toast.kind === 'error' ? toast : null;
  return (
    <div className="toast-region">
      <div role="status" aria-live="polite">
        {info && (
          <div key={info.id} className={`toast${info.undo ? ' toast-with-action' : ''}`} data-testid="toast">
            <span>{info.text}</span>
            {info.undo && (
              <button type="button" className="toast-action" onClick={info.undo} data-testid="toast-undo">
                Undo
              </button>
            )}
          </div>
        )}
      </div>
      <div role="alert">
        {error && (
          <div key={error.id} className="toast toast-error" data-testid="toast">
            {error.text}
          </div>
        )}
      </div>
    </div>
  );
}
