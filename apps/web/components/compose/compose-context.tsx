'use client';

/**
 * The compose window's home: one window at a time, opened from anywhere (Compose, Reply, a draft,
 * Undo, Scheduled → Edit) and kept across navigations because it lives above the routes. Owns the
 * compose settings (identities, signatures, undo window, size limit) and what happens after Send
 * (the "Message sent" notice with Undo).
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, type ComposeSettings, type MessageDetail, type SendMessageResult } from '@/lib/api';
import type { ReplyKind } from '@/lib/reply';
import { useShortcuts } from '@/lib/use-shortcuts';
import { useMail } from '../mail/mail-store';
import { composeAfterUndo, composeFromDraft, composeReply } from '@/lib/compose-open';
import { type ComposeDraft, emptyDraft, FALLBACK_SETTINGS, primaryIdentity } from '@/lib/compose-state';
import { draftOpening, latestDraftId as followDraftId } from '@/lib/draft-follow';
import { ComposeNotice, type Notice } from './compose-notice';
import { ComposeWindow, type ComposeWindowHandle } from './compose-window';

interface OpenWindow {
  /** Changes with every opening, so a reopened window starts fresh. */
  key: number;
  initial: ComposeDraft;
}

interface ComposeContextValue {
  settings: ComposeSettings;
  settingsLoaded: boolean;
  reloadSettings(): Promise<void>;
  openNew(): void;
  openReply(kind: ReplyKind, detail: MessageDetail): void;
  openDraft(draftId: string): Promise<void>;
  /** Whether the open window holds this draft (opened from it, or saved as it). */
  isDraftOpen(draftId: string): boolean;
  notify(notice: Omit<Notice, 'id'>): void;
}

const ComposeContext = createContext<ComposeContextValue | null>(null);

export function useCompose(): ComposeContextValue {
  const ctx = useContext(ComposeContext);
  if (!ctx) throw new Error('useCompose() outside <ComposeProvider>');
  return ctx;
}

export function ComposeProvider({ children }: { children: ReactNode }) {
  const { session, list, mailboxes, reportError, refreshMailboxes, refreshList } = useMail();
  const [settings, setSettings] = useState<ComposeSettings>(FALLBACK_SETTINGS);
  const [settingsLoaded, setSettingsLoaded] = useState(false);
  const [win, setWin] = useState<OpenWindow | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const openings = useRef(0);
  // Every save replaces the draft under a new id: old id → new id, so a reading pane still showing
  // an old version opens the newest, and the open window's ids are known.
  const replacedBy = useRef(new Map<string, string>());
  const openWindowDrafts = useRef(new Set<string>());
  const latestDraftId = useCallback((id: string) => followDraftId(replacedBy.current, id), []);
  const windowHandle = useRef<ComposeWindowHandle | null>(null);
  // A window's last save on its way out: a draft opened right after it waits for it (the ids follow).
  const closingSave = useRef<Promise<void>>(Promise.resolve());
  const isDraftOpen = useCallback((id: string) => openWindowDrafts.current.has(latestDraftId(id)), [latestDraftId]);
  const openKey = useRef(0);
  const onDraftSaved = useCallback(
    (windowKey: number, previousId: string | null, id: string) => {
      if (previousId) replacedBy.current.set(previousId, id);
      // A window that was closed saves once more on its way out: its draft is not open any more.
      if (windowKey === openKey.current) openWindowDrafts.current.add(id);
      if (list && mailboxes?.find((m) => m.id === list.mailboxId)?.specialUse === 'drafts') void refreshList();
    },
    [list, mailboxes, refreshList],
  );
  const ownAddress = session.account.address;

  const reloadSettings = useCallback(async () => {
    try {
      setSettings(await api.composeSettings());
      setSettingsLoaded(true);
    } catch (err) {
      if (err instanceof ApiError && err.isUnauthorized) reportError(err);
      // Not there yet (older API): compose still works with the defaults and the account's address.
    }
  }, [reportError]);
  useEffect(() => {
    void reloadSettings();
  }, [reloadSettings]);

  const notify = useCallback((n: Omit<Notice, 'id'>) => setNotice({ ...n, id: Date.now() }), []);
  const dismissNotice = useCallback(() => setNotice(null), []);

  const show = useCallback((initial: ComposeDraft) => {
    if (document.activeElement instanceof HTMLElement && !document.activeElement.closest('.compose')) {
      opener.current = document.activeElement;
    }
    openings.current += 1;
    openWindowDrafts.current = new Set(initial.draftId ? [initial.draftId] : []);
    openKey.current = openings.current;
    setWin({ key: openings.current, initial });
  }, []);

  const openNew = useCallback(() => {
    const identity = primaryIdentity(settings.identities, ownAddress);
    show(emptyDraft(identity.address, identity.signatureHtml));
  }, [settings, ownAddress, show]);

  const openReply = useCallback(
    (kind: ReplyKind, detail: MessageDetail) => show(composeReply(kind, detail, settings.identities, ownAddress)),
    [settings, ownAddress, show],
  );

  const openDraft = useCallback(
    async (draftId: string) => {
      try {
        const handle = windowHandle.current;
        if (handle) {
          // The open window may hold this draft: then it is only restored (reopening it would show an
          // older version while the window's last save replaces it). Its pending save is flushed
          // first, so a draft it is saving right now is known as its own.
          if (draftOpening(draftId, replacedBy.current, openWindowDrafts.current).kind === 'focus') return handle.restore();
          await handle.flush();
        }
        await closingSave.current;
        const opening = draftOpening(draftId, replacedBy.current, openWindowDrafts.current);
        if (opening.kind === 'focus') return windowHandle.current?.restore();
        show(composeFromDraft(await api.getDraft(opening.id)));
      } catch (err) {
        reportError(err);
      }
    },
    [show, reportError],
  );

  const close = useCallback(() => {
    setWin(null);
    openWindowDrafts.current = new Set();
    openKey.current = 0;
    const back = opener.current;
    opener.current = null;
    // After React removed the window: give focus back to whatever opened it.
    setTimeout(() => {
      if (back?.isConnected) back.focus();
    }, 0);
  }, []);

  const undo = useCallback(
    async (snapshot: ComposeDraft, result: SendMessageResult) => {
      if (!result.queueId) return;
      try {
        const { draftId } = await api.cancelSend(result.queueId, result.sentId);
        const view = draftId ? await api.getDraft(draftId).catch(() => null) : null;
        show(composeAfterUndo(snapshot, draftId, view));
        notify({ text: 'Sending undone' });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) notify({ text: 'Too late: the message has already been sent.', kind: 'error' });
        else reportError(err);
      }
      void refreshMailboxes();
    },
    [show, notify, reportError, refreshMailboxes],
  );

  const onSent = useCallback(
    (snapshot: ComposeDraft, result: SendMessageResult, scheduled: boolean) => {
      close();
      void refreshMailboxes();
      void refreshList();
      if (scheduled && result.scheduledFor) {
        notify({
          text: `Send scheduled for ${new Date(result.scheduledFor).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`,
        });
        return;
      }
      const seconds = settings.undoSendSeconds;
      notify({
        text: 'Message sent',
        timeoutMs: seconds > 0 && result.queueId ? seconds * 1000 : 4000,
        action: seconds > 0 && result.queueId ? { label: 'Undo', run: () => void undo(snapshot, result) } : undefined,
      });
    },
    [close, notify, undo, refreshMailboxes, refreshList, settings.undoSendSeconds],
  );

  useShortcuts({
    c: () =>
      win ? document.querySelector<HTMLElement>('.compose input:not([type=file]), .compose [contenteditable]')?.focus() : openNew(),
  });

  const value = useMemo<ComposeContextValue>(
    () => ({
      settings,
      settingsLoaded,
      reloadSettings,
      openNew,
      openReply,
      openDraft,
      isDraftOpen,
      notify,
    }),
    [settings, settingsLoaded, reloadSettings, openNew, openReply, openDraft, isDraftOpen, notify],
  );

  return (
    <ComposeContext.Provider value={value}>
      {children}
      {win && (
        <ComposeWindow
          key={win.key}
          initial={win.initial}
          settings={settings}
          ownAddress={ownAddress}
          onClose={close}
          onSent={onSent}
          onDraftSaved={(previousId, id) => onDraftSaved(win.key, previousId, id)}
          handleRef={windowHandle}
          onClosingSave={(save) => {
            closingSave.current = save.catch(() => {});
          }}
          onDiscarded={() => {
            close();
            notify({ text: 'Draft discarded' });
            void refreshMailboxes();
          }}
        />
      )}
      <ComposeNotice notice={notice} onDismiss={dismissNotice} />
    </ComposeContext.Provider>
  );
}
