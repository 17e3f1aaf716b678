'use client';

/**
 * Client-side state of the mail view: the session, folders and labels (with counts), the open
 * view's rows (use-row-list.ts) and the actions on them. The sidebar, the list and the reading pane
 * all read and change it through this one context, so a change in one place shows everywhere.
 *
 * Every action on mail — from the list, the reading pane, a shortcut or a drag — goes through
 * `act`: one POST /api/v1/bulk (ids, conversations, or "everything matching" as a query), applied
 * optimistically to the rows, then rows and counts re-read; the notice offers "Undo" when the
 * server gave an undo token. Live changes (EventSource, use-live-updates.ts) re-read the same way.
 */
import { usePathname, useRouter } from 'next/navigation';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type BulkAction, type BulkTarget, type LabelView, type MailboxView, type SessionInfo } from '@/lib/api';
import { sortMailboxes } from '@/lib/mailboxes';
import { type Row, undoRows } from '@/lib/rows';
import type { View } from '@/lib/views';
import { actionNotice, isRemovedFromView, rowPatch } from '@/lib/bulk-effects';
import { type RowList, useRowList } from './use-row-list';
import { useLiveUpdates } from './use-live-updates';
import { usePreference } from './use-preference';
import { afterOpenings } from '../thread/openings';

const POLL_MS = 60_000;

export interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
  /** "Undo" on the notice (bulk actions the server can revert). */
  undo?: () => void;
}

/** What an action applies to. */
export type ActTarget =
  | { rows: Row[] }
  | { messageIds: string[] }
  | { conversationId: string }
  /** Everything matching a search (the server resolves it); count null when not known ahead (a search view). */
  | { query: string; mailboxId?: string; count: number | null };

interface MailContextValue {
  session: SessionInfo;
  mailboxes: MailboxView[] | null;
  mailboxesError: string | null;
  /** null while loading or when the server has no labels endpoint (the sidebar hides them). */
  labels: LabelView[] | null;
  list: RowList | null;
  toast: Toast | null;
  isConversations: boolean;
  setConversations(on: boolean): void;
  refreshMailboxes(): Promise<void>;
  refreshLabels(): Promise<void>;
  showView(view: View, force?: boolean): void;
  refreshList(): Promise<void>;
  loadMore(): Promise<void>;
  /** Runs one action; resolves true when the server did it. onRemoved runs at once when rows leave the view. */
  act(target: ActTarget, action: BulkAction, opts?: { onRemoved?(): void; quiet?: boolean }): Promise<boolean>;
  notify(text: string, kind?: Toast['kind'], undo?: () => void): void;
  reportError(err: unknown): void;
  logout(): Promise<void>;
}

const MailContext = createContext<MailContextValue | null>(null);

export function useMail(): MailContextValue {
  const ctx = useContext(MailContext);
  if (!ctx) throw new Error('useMail() outside <MailProvider>');
  return ctx;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'Something went wrong. Try again.';
}

function toBulkTarget(target: ActTarget, list: RowList | null): BulkTarget {
  const viewMailbox = list?.mailboxId ?? undefined;
  if ('query' in target) return { query: target.query, mailboxId: target.mailboxId };
  if ('messageIds' in target) return { ids: target.messageIds };
  if ('conversationId' in target) return { conversationIds: [target.conversationId], mailboxId: viewMailbox };
  const convs = target.rows.filter((r) => r.kind === 'conversation');
  if (convs.length > 0) return { conversationIds: convs.map((r) => r.threadId), mailboxId: viewMailbox };
  return { ids: target.rows.map((r) => r.messageId) };
}

function targetCount(target: ActTarget, affected: number): number {
  if ('rows' in target) return target.rows.length;
  if ('messageIds' in target) return target.messageIds.length;
  if ('conversationId' in target) return 1;
  return target.count ?? affected;
}

export function MailProvider({ session, children }: { session: SessionInfo; children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [mailboxes, setMailboxes] = useState<MailboxView[] | null>(null);
  const [mailboxesError, setMailboxesError] = useState<string | null>(null);
  const [labels, setLabels] = useState<LabelView[] | null>(null);
  const [toast, setToast] = useState<Toast | null>(null);
  const [isConversations, setConversations] = usePreference('correio.conversations', true);
  const toastTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const mailboxesRef = useRef<MailboxView[] | null>(null);
  mailboxesRef.current = mailboxes;

  const notify = useCallback((text: string, kind: Toast['kind'] = 'info', undo?: () => void) => {
    clearTimeout(toastTimer.current);
    setToast({ id: Date.now(), text, kind, undo });
    // A notice with Undo stays longer: people need time to notice and reach for it.
    toastTimer.current = setTimeout(() => setToast(null), undo ? 10_000 : kind === 'error' ? 6000 : 3500);
  }, []);
  useEffect(() => () => clearTimeout(toastTimer.current), []);

  // The path is read when an error happens, not captured: a reportError that changed with every
  // navigation re-ran everything depending on it (the folders, labels and compose settings were
  // re-read each time a message opened) and re-rendered every consumer of this context.
  const pathnameRef = useRef(pathname);
  pathnameRef.current = pathname;
  const reportError = useCallback(
    (err: unknown) => {
      if (err instanceof DOMException && err.name === 'AbortError') return;
      if (err instanceof ApiError && err.isUnauthorized) {
        router.replace(`/login?next=${encodeURIComponent(pathnameRef.current)}`);
        return;
      }
      notify(errorText(err), 'error');
    },
    [router, notify],
  );
  const listError = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.isUnauthorized) reportError(err);
      return errorText(err);
    },
    [reportError],
  );
  // Drafts stay a list of messages: a draft opens in the compose window, not as a conversation.
  const isFlatView = useCallback(
    (view: View) => view.kind === 'mailbox' && mailboxesRef.current?.find((m) => m.id === view.mailboxId)?.specialUse === 'drafts',
    [],
  );
  const {
    list,
    listRef,
    showView,
    refresh: refreshList,
    loadMore,
    editRows,
    beginEdit,
  } = useRowList(isConversations, listError, isFlatView);

  const refreshMailboxes = useCallback(async () => {
    try {
      const res = await api.listMailboxes();
      setMailboxes(sortMailboxes(res.items));
      setMailboxesError(null);
    } catch (err) {
      setMailboxesError(errorText(err));
      reportError(err);
    }
  }, [reportError]);

  const refreshLabels = useCallback(async () => {
    try {
      setLabels((await api.listLabels()).items);
    } catch (err) {
      // No labels endpoint (an older server): the sidebar just doesn't show labels.
      if (err instanceof ApiError && err.isUnauthorized) reportError(err);
    }
  }, [reportError]);

  const refreshAll = useCallback(async () => {
    await Promise.all([refreshMailboxes(), refreshLabels(), refreshList()]);
  }, [refreshMailboxes, refreshLabels, refreshList]);

  useEffect(() => {
    void refreshMailboxes();
    void refreshLabels();
    const onFocus = () => void refreshMailboxes();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [refreshMailboxes, refreshLabels]);

  // The view re-opens in the other mode when conversation view is switched.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the setting's change matters
  useEffect(() => {
    const cur = listRef.current;
    if (cur) showView(cur.view, true);
  }, [isConversations]);

  // A live update's re-reads wait for the opening the reader is waiting for (openings.ts).
  const isLive = useLiveUpdates({
    onChange: () => void afterOpenings().then(() => Promise.all([refreshList(), refreshMailboxes(), refreshLabels()])),
  });
  const isLiveRef = useRef(isLive);
  isLiveRef.current = isLive;

  // A safety net while the event stream is down (or absent on an older server).
  useEffect(() => {
    const timer = setInterval(() => {
      if (!isLive && document.visibilityState === 'visible' && listRef.current?.status !== 'loading') void refreshAll();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [refreshAll, isLive, listRef]);

  const labelName = useCallback((id: string) => labels?.find((l) => l.id === id)?.name ?? 'label', [labels]);
  const mailboxName = useCallback((id: string) => {
    const mb = mailboxesRef.current?.find((m) => m.id === id);
    return mb ? (mb.specialUse ? mb.specialUse[0]?.toUpperCase() + mb.specialUse.slice(1) : mb.name) : 'folder';
  }, []);

  const act = useCallback(
    async (target: ActTarget, action: BulkAction, opts: { onRemoved?(): void; quiet?: boolean } = {}) => {
      const cur = listRef.current;
      const keys = new Set(
        'rows' in target
          ? target.rows.map((r) => r.key)
          : 'messageIds' in target
            ? (cur?.rows.filter((r) => target.messageIds.includes(r.messageId)).map((r) => r.key) ?? [])
            : 'conversationId' in target
              ? (cur?.rows.filter((r) => r.threadId === target.conversationId).map((r) => r.key) ?? [])
              : (cur?.rows.map((r) => r.key) ?? []),
      );
      const before = cur?.rows ?? [];
      let failed = false;
      const endEdit = beginEdit();
      if (cur && isRemovedFromView(action, cur.view)) {
        editRows((rows) => rows.filter((r) => !keys.has(r.key)));
        opts.onRemoved?.();
      } else {
        editRows((rows) => rows.map((r) => (keys.has(r.key) ? { ...r, ...rowPatch(action, r) } : r)));
      }
      try {
        const res = await api.bulk(toBulkTarget(target, cur), action);
        const undoToken = res.undo?.token;
        if (opts.quiet) return true;
        const text = actionNotice(action, targetCount(target, res.affected), 'rows' in target && target.rows[0]?.kind === 'conversation', {
          labelName,
          mailboxName,
        });
        notify(
          text,
          'info',
          undoToken
            ? () => {
                setToast(null);
                void api.bulkUndo(undoToken).then(
                  () => {
                    notify('Action undone.');
                    void refreshAll();
                  },
                  (err: unknown) => reportError(err),
                );
              }
            : undefined,
        );
        return true;
      } catch (err) {
        editRows((rows) => undoRows(rows, before, keys));
        reportError(err);
        failed = true;
        return false;
      } finally {
        endEdit();
        // A quiet action (opening marks read) is echoed by the live stream, whose re-read follows:
        // re-reading here too doubled the requests behind the next opening. A failed one has no echo.
        if (failed || !(opts.quiet && isLiveRef.current)) void refreshAll();
      }
    },
    [beginEdit, editRows, listRef, notify, reportError, refreshAll, labelName, mailboxName],
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
      labels,
      list,
      toast,
      isConversations,
      setConversations,
      refreshMailboxes,
      refreshLabels,
      showView,
      refreshList,
      loadMore,
      act,
      notify,
      reportError,
      logout,
    }),
    [
      session,
      mailboxes,
      mailboxesError,
      labels,
      list,
      toast,
      isConversations,
      setConversations,
      refreshMailboxes,
      refreshLabels,
      showView,
      refreshList,
      loadMore,
      act,
      notify,
      reportError,
      logout,
    ],
  );

  return <MailContext.Provider value={value}>{children}</MailContext.Provider>;
}
