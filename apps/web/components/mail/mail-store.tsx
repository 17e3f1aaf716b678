'use client';

/**
 * Client-side state of the mail view: the session, the mailbox list (with counts) and the message
 * list of the open mailbox. The sidebar, the list and the reading pane all read and change it
 * through this one context so a change in one place (mark read, move, delete) shows everywhere at
 * once. Changes are optimistic and rolled back if the API refuses them; counts are then re-read
 * from the server so they never drift.
 */
import { usePathname, useRouter } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type MailboxView, type MessageSummary, type SessionInfo } from '@/lib/api';
import { mailboxLabel, sortMailboxes } from '@/lib/mailboxes';
import { type ListState, mergeFirstPage, PAGE_SIZE } from '@/lib/message-list-state';

const POLL_MS = 30_000;

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

type MessageRef = Pick<MessageSummary, 'id' | 'mailboxId' | 'seen' | 'flagged'>;

interface MailContextValue {
  session: SessionInfo;
  mailboxes: MailboxView[] | null;
  mailboxesError: string | null;
  list: ListState | null;
  toast: Toast | null;
  refreshMailboxes(): Promise<void>;
  showMailbox(mailboxId: string): void;
  refreshList(): Promise<void>;
  loadMore(): Promise<void>;
  setSeen(msg: MessageRef, seen: boolean): Promise<void>;
  setFlagged(msg: MessageRef, flagged: boolean): Promise<void>;
  /** onRemoved runs as soon as the row is gone (before the API answers): navigate away there. */
  moveMessage(msg: MessageRef, targetMailboxId: string, onRemoved?: () => void): Promise<boolean>;
  deleteMessage(msg: MessageRef, onRemoved?: () => void): Promise<boolean>;
  notify(text: string, kind?: Toast['kind']): void;
  reportError(err: unknown): void;
  logout(): Promise<void>;
}

const MailContext = createContext<MailContextValue | null>(null);

export function useMail(): MailContextValue {
  const ctx = useContext(MailContext);
  if (!ctx) throw new Error('useMail() outside <MailProvider>');
  return ctx;
}

function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Try again.';
}

export function MailProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [mailboxes, setMailboxes] = useState<MailboxView[] | null>(null);
  const [mailboxesError, setMailboxesError] = useState<string | null>(null);
  const [list, setList] = useState<ListState | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const listSeq = useRef(0);
  const listRef = useRef<ListState | null>(null);
  listRef.current = list;
  const mailboxesRef = useRef<MailboxView[] | null>(null);
  mailboxesRef.current = mailboxes;
  const toastTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A read that started before a change was acknowledged may carry the old state (e.g. unread 1
  // after we marked it read): such reads are dropped, and every change re-reads when it is done.
  const pendingChanges = useRef(0);
  const changeEpoch = useRef(0);
  const isStale = useCallback((startEpoch: number) => pendingChanges.current > 0 || startEpoch !== changeEpoch.current, []);

  const notify = useCallback((text: string, kind: Toast['kind'] = 'info') => {
    clearTimeout(toastTimer.current);
    setToast({ id: Date.now(), text, kind });
    toastTimer.current = setTimeout(() => setToast(null), kind === 'error' ? 6000 : 3500);
  }, []);
  useEffect(() => () => clearTimeout(toastTimer.current), []);

  const reportError = useCallback(
    (err: unknown) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.isUnauthorized) {
        router.replace(`/login?next=${encodeURIComponent(pathname)}`);
        return;
      }
      notify(errorText(err), 'error');
    },
    [router, pathname, notify],
  );

  const refreshMailboxes = useCallback(async () => {
    const epoch = changeEpoch.current;
    try {
      const res = await api.listMailboxes();
      if (isStale(epoch)) return;
      setMailboxes(sortMailboxes(res.items));
      setMailboxesError(null);
    } catch (err) {
      setMailboxesError(errorText(err));
      reportError(err);
    }
  }, [reportError, isStale]);

  useEffect(() => {
    void refreshMailboxes();
    // Counts are re-read when the tab regains focus too, not just on the poll below.
    const onFocus = () => void refreshMailboxes();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refreshMailboxes]);

  const loadFirstPage = useCallback(
    async (mailboxId: string, keepItems: boolean) => {
      const seq = ++listSeq.current;
      setList((prev) =>
        keepItems && prev?.mailboxId === mailboxId
          ? { ...prev, status: prev.status === 'error' ? 'loading' : prev.status }
          : { mailboxId, items: [], nextCursor: null, status: 'loading', error: null, isLoadingMore: false },
      );
      const epoch = changeEpoch.current;
      try {
        const page = await api.listMessages(mailboxId, { limit: PAGE_SIZE });
        if (seq !== listSeq.current) return;
        if (keepItems && isStale(epoch)) {
          setList((prev) => (prev?.status === 'loading' ? { ...prev, status: 'ready' } : prev));
          return;
        }
        setList((prev) => {
          const fresh: ListState = {
            mailboxId,
            items: page.items,
            nextCursor: page.nextCursor,
            status: 'ready',
            error: null,
            isLoadingMore: false,
          };
          return keepItems && prev?.mailboxId === mailboxId ? mergeFirstPage(prev, fresh) : fresh;
        });
      } catch (err) {
        if (seq !== listSeq.current) return;
        setList((prev) => (prev ? { ...prev, status: 'error', error: errorText(err) } : prev));
        reportError(err);
      }
    },
    [reportError, isStale],
  );

  const showMailbox = useCallback(
    (mailboxId: string) => {
      if (listRef.current?.mailboxId === mailboxId) return;
      void loadFirstPage(mailboxId, false);
    },
    [loadFirstPage],
  );

  const refreshList = useCallback(async () => {
    const current = listRef.current;
    await Promise.all([refreshMailboxes(), current ? loadFirstPage(current.mailboxId, true) : null]);
  }, [loadFirstPage, refreshMailboxes]);

  // New mail shows up without a click: poll while the tab is visible. (To be replaced by the
  // server's change events — DESIGN invariant 6 — when the API exposes them.)
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && listRef.current?.status !== 'loading') void refreshList();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [refreshList]);

  const loadMore = useCallback(async () => {
    const current = listRef.current;
    if (!current?.nextCursor || current.isLoadingMore) return;
    const seq = listSeq.current;
    setList({ ...current, isLoadingMore: true });
    try {
      const page = await api.listMessages(current.mailboxId, { limit: PAGE_SIZE, cursor: current.nextCursor });
      if (seq !== listSeq.current) return;
      setList((prev) => {
        if (!prev || prev.mailboxId !== current.mailboxId) return prev;
        const known = new Set(prev.items.map((m) => m.id));
        const items = prev.items.concat(page.items.filter((m) => !known.has(m.id)));
        return { ...prev, items, nextCursor: page.nextCursor, isLoadingMore: false };
      });
    } catch (err) {
      setList((prev) => (prev ? { ...prev, isLoadingMore: false } : prev));
      reportError(err);
    }
  }, [reportError]);

  // --- local (optimistic) edits -------------------------------------------------------------

  const patchRow = useCallback((id: string, patch: Partial<MessageSummary>) => {
    setList((prev) => (prev ? { ...prev, items: prev.items.map((m) => (m.id === id ? { ...m, ...patch } : m)) } : prev));
  }, []);

  const adjustCounts = useCallback((mailboxId: string, total: number, unread: number) => {
    setMailboxes((prev) =>
      prev
        ? prev.map((mb) =>
            mb.id === mailboxId ? { ...mb, total: Math.max(0, mb.total + total), unread: Math.max(0, mb.unread + unread) } : mb,
          )
        : prev,
    );
  }, []);

  /** Removes the row; returns a function that puts it back where it was. */
  const removeRow = useCallback((id: string): (() => void) => {
    let removed: { index: number; row: MessageSummary; mailboxId: string } | null = null;
    const current = listRef.current;
    if (current) {
      const index = current.items.findIndex((m) => m.id === id);
      const row = current.items[index];
      if (row) removed = { index, row, mailboxId: current.mailboxId };
    }
    setList((prev) => (prev ? { ...prev, items: prev.items.filter((m) => m.id !== id) } : prev));
    return () => {
      const r = removed;
      if (!r) return;
      setList((prev) => {
        if (!prev || prev.mailboxId !== r.mailboxId || prev.items.some((m) => m.id === r.row.id)) return prev;
        const items = [...prev.items];
        items.splice(Math.min(r.index, items.length), 0, r.row);
        return { ...prev, items };
      });
    };
  }, []);

  // --- actions ------------------------------------------------------------------------------

  /**
   * Runs one change against the API; afterwards counts and the open list are re-read from the
   * server (the user may already be looking at the folder a message was moved into).
   */
  const track = useCallback(
    async <T,>(change: () => Promise<T>): Promise<T> => {
      pendingChanges.current += 1;
      try {
        return await change();
      } finally {
        pendingChanges.current -= 1;
        changeEpoch.current += 1;
        if (pendingChanges.current === 0) void refreshList();
      }
    },
    [refreshList],
  );

  const setSeen = useCallback(
    async (msg: MessageRef, seen: boolean) => {
      const row = listRef.current?.items.find((m) => m.id === msg.id);
      const wasSeen = row ? row.seen : msg.seen;
      if (wasSeen === seen) return;
      patchRow(msg.id, { seen });
      adjustCounts(msg.mailboxId, 0, seen ? -1 : 1);
      try {
        const updated = await track(() => api.updateMessage(msg.id, { seen }));
        patchRow(msg.id, { seen: updated.seen, flagged: updated.flagged });
      } catch (err) {
        patchRow(msg.id, { seen: wasSeen });
        adjustCounts(msg.mailboxId, 0, seen ? 1 : -1);
        reportError(err);
      }
    },
    [patchRow, adjustCounts, reportError, track],
  );

  const setFlagged = useCallback(
    async (msg: MessageRef, flagged: boolean) => {
      patchRow(msg.id, { flagged });
      try {
        const updated = await track(() => api.updateMessage(msg.id, { flagged }));
        patchRow(msg.id, { seen: updated.seen, flagged: updated.flagged });
      } catch (err) {
        patchRow(msg.id, { flagged: !flagged });
        reportError(err);
      }
    },
    [patchRow, reportError, track],
  );

  const labelOf = useCallback((mailboxId: string) => {
    const mb = mailboxesRef.current?.find((m) => m.id === mailboxId);
    return mb ? mailboxLabel(mb) : 'folder';
  }, []);

  const moveMessage = useCallback(
    async (msg: MessageRef, targetMailboxId: string, onRemoved?: () => void) => {
      if (targetMailboxId === msg.mailboxId) return false;
      const unread = msg.seen ? 0 : 1;
      const restore = removeRow(msg.id);
      adjustCounts(msg.mailboxId, -1, -unread);
      adjustCounts(targetMailboxId, 1, unread);
      onRemoved?.();
      try {
        await track(() => api.moveMessage(msg.id, targetMailboxId));
        notify(`Moved to ${labelOf(targetMailboxId)}`);
        return true;
      } catch (err) {
        restore();
        reportError(err);
        return false;
      }
    },
    [removeRow, adjustCounts, notify, labelOf, reportError, track],
  );

  const deleteMessage = useCallback(
    async (msg: MessageRef, onRemoved?: () => void) => {
      const trash = mailboxesRef.current?.find((m) => m.specialUse === 'trash');
      const isPermanent = trash !== undefined && trash.id === msg.mailboxId;
      if (isPermanent && !window.confirm('Delete this message forever? This cannot be undone.')) return false;
      const unread = msg.seen ? 0 : 1;
      const restore = removeRow(msg.id);
      adjustCounts(msg.mailboxId, -1, -unread);
      if (trash && !isPermanent) adjustCounts(trash.id, 1, unread);
      onRemoved?.();
      try {
        const res = await track(() => api.deleteMessage(msg.id));
        notify(res.result === 'expunged' ? 'Message deleted forever' : 'Moved to Trash');
        return true;
      } catch (err) {
        restore();
        reportError(err);
        return false;
      }
    },
    [removeRow, adjustCounts, notify, reportError, track],
  );

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Even if the server call fails, leave: the cookie is httpOnly and expires on its own.
    }
    router.replace('/login');
  }, [router]);

  const value = useMemo<MailContextValue>(
    () => ({
      session,
      mailboxes,
      mailboxesError,
      list,
      toast,
      refreshMailboxes,
      showMailbox,
      refreshList,
      loadMore,
      setSeen,
      setFlagged,
      moveMessage,
      deleteMessage,
      notify,
      reportError,
      logout,
    }),
    [
      session,
      mailboxes,
      mailboxesError,
      list,
      toast,
      refreshMailboxes,
      showMailbox,
      refreshList,
      loadMore,
      setSeen,
      setFlagged,
      moveMessage,
      deleteMessage,
      notify,
      reportError,
      logout,
    ],
  );

  return <MailContext.Provider value={value}>{children}</MailContext.Provider>;
}
