import { describe, expect, it, vi } from 'vitest';
import type { ImapMessageMeta, ImapSnapshot, ImapStore } from '../mailbox-store/imap-store.types.js';
import type { EnabledExtension, ResponseWriter } from './command-context.js';
import { RECHECK_MS, SelectedMailbox } from './selected-mailbox.js';

// Sequence numbers ↔ UIDs and the order of pending updates (RFC 9051 §7.5.1, RFC 7162 §3.2.10).
// The store is a stand-in holding flags in memory: only fetchMeta is reached from here.

function snapshot(uids: number[]): ImapSnapshot {
  return {
    mailbox: { id: 'mb', name: 'INBOX', specialUse: 'inbox', subscribed: true, uidValidity: 7, uidNext: 100, highestModseq: 10n },
    uids: Uint32Array.from(uids),
    unseenCount: 0,
    firstUnseenSeq: 0,
    keywords: [],
  };
}

function setup(uids: number[], enabled: EnabledExtension[] = []) {
  const flags = new Map<number, { flags: string[]; modseq: bigint }>();
  const store = {
    async fetchMeta(_a: string, _m: string, wanted: number[]): Promise<ImapMessageMeta[]> {
      return wanted.filter((u) => flags.has(u)).map((uid) => ({ uid, blobId: 'b', ...flags.get(uid)! }));
    },
  } as unknown as ImapStore;
  const snap = snapshot(uids);
  const mailbox = new SelectedMailbox(store, snap.mailbox, { accountId: 'acc', isReadOnly: false, enabled: new Set(enabled) });
  mailbox.load(snap);
  const lines: string[] = [];
  const out = { untagged: (l: string) => lines.push(l) } as unknown as ResponseWriter;
  const change = (kind: 'exists' | 'flags' | 'expunge', changed: number[], modseq: number) =>
    mailbox.noteChange({ accountId: 'acc', mailboxId: 'mb', kind, uids: changed, modseq: String(modseq) });
  return { mailbox, flags, lines, out, change };
}

describe('SelectedMailbox', () => {
  it('maps sequence numbers to UIDs and back', () => {
    const { mailbox } = setup([3, 5, 9, 20]);
    expect([1, 2, 3, 4, 5].map((s) => mailbox.uidAt(s))).toEqual([3, 5, 9, 20, 0]);
    expect([3, 4, 5, 9, 20, 21].map((u) => mailbox.seqOf(u))).toEqual([1, 0, 2, 3, 4, 0]);
  });

  it('resolves sequence sets, UID sets, "*" and "$"', () => {
    const { mailbox } = setup([3, 5, 9, 20]);
    const r = (ranges: { start: number | '*'; end: number | '*' }[], isUid: boolean, strict = true) =>
      mailbox.resolve({ kind: 'ranges', ranges }, isUid, undefined, strict);
    expect(r([{ start: 2, end: '*' }], false)).toEqual([5, 9, 20]);
    expect(r([{ start: 4, end: 1 }], false)).toEqual([3, 5, 9, 20]);
    expect(r([{ start: 5, end: 5 }], false)).toEqual({ error: 'Invalid message sequence number' });
    expect(r([{ start: 5, end: 5 }], false, false)).toEqual([]);
    expect(
      r(
        [
          { start: 4, end: 10 },
          { start: 3, end: 5 },
        ],
        true,
      ),
    ).toEqual([3, 5, 9]);
    // RFC 9051 §6.4.9: "n:*" includes the last UID even when n is above it.
    expect(r([{ start: 50, end: '*' }], true)).toEqual([20]);
    expect(mailbox.resolve({ kind: 'saved' }, true, [5, 6, 20])).toEqual([5, 20]);
  });

  it('"1:*" in an empty mailbox names nothing; "1" is still an error', () => {
    const { mailbox } = setup([]);
    expect(mailbox.resolve({ kind: 'ranges', ranges: [{ start: 1, end: '*' }] }, false, undefined)).toEqual([]);
    expect(mailbox.resolve({ kind: 'ranges', ranges: [{ start: 1, end: 1 }] }, false, undefined)).toEqual({
      error: 'Invalid message sequence number',
    });
    expect(mailbox.resolve({ kind: 'ranges', ranges: [{ start: 1, end: '*' }] }, true, undefined)).toEqual([]);
  });

  it('writes EXPUNGE in descending order, then EXISTS, and renumbers', async () => {
    const { mailbox, lines, out, change } = setup([3, 5, 9, 20]);
    change('expunge', [5, 20, 77], 11);
    change('exists', [21, 22], 12);
    await mailbox.flushUpdates(out, { allowExpunge: false });
    expect(lines).toEqual(['6 EXISTS']);
    expect(mailbox.hasPendingUpdates()).toBe(true);
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual(['6 EXISTS', '4 EXPUNGE', '2 EXPUNGE']);
    expect([1, 2, 3, 4].map((s) => mailbox.uidAt(s))).toEqual([3, 9, 21, 22]);
    expect(mailbox.hasPendingUpdates()).toBe(false);
  });

  it('writes VANISHED instead of EXPUNGE under QRESYNC', async () => {
    const { mailbox, lines, out, change } = setup([3, 5, 6, 7, 9], ['QRESYNC']);
    change('expunge', [5, 6, 7, 9], 11);
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual(['VANISHED 5:7,9']);
    expect(mailbox.exists).toBe(1);
  });

  it('ignores echoes of its own changes: known UIDs, expunged UIDs and reported modseqs', async () => {
    const { mailbox, lines, out, change, flags } = setup([3, 5]);
    mailbox.queueExpunged([5]);
    await mailbox.flushUpdates(out, { allowExpunge: true });
    change('expunge', [5], 11);
    change('exists', [3], 11);
    flags.set(3, { flags: ['\\Seen'], modseq: 12n });
    mailbox.noteReported(3, 12n);
    change('flags', [3], 12);
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual(['2 EXPUNGE']);
  });

  it('drops echoes a whole-range FETCH FLAGS already reported (by its snapshot modseq), and reports later changes and UIDs outside it', async () => {
    const { mailbox, lines, out, change, flags } = setup([3, 5, 9, 20]);
    mailbox.noteReportedRange(3, 9, 15n);
    for (const uid of [3, 5, 9, 20]) flags.set(uid, { flags: ['\\Seen'], modseq: 14n });
    change('flags', [3, 5, 9, 20], 14); // committed before the FETCH's snapshot: only UID 20 is news
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual(['4 FETCH (UID 20 FLAGS (\\Seen))']);
    flags.set(5, { flags: ['\\Flagged'], modseq: 16n });
    change('flags', [5], 16); // after it
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines.slice(1)).toEqual(['2 FETCH (UID 5 FLAGS (\\Flagged))']);
  });

  it('drops the echo of its own STORE whole, by its modseq, however many messages it names', async () => {
    const { mailbox, lines, out, change, flags } = setup([3, 5]);
    mailbox.noteOwnChange(20n);
    change('flags', [3, 5], 20);
    expect(mailbox.hasPendingUpdates()).toBe(false);
    flags.set(5, { flags: ['\\Seen'], modseq: 21n });
    change('flags', [5], 21);
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual(['2 FETCH (UID 5 FLAGS (\\Seen))']);
  });

  it("reports another session's flag change with fresh flags, UID and MODSEQ under CONDSTORE", async () => {
    const { mailbox, lines, out, change, flags } = setup([3, 5], ['CONDSTORE']);
    mailbox.noteReported(5, 11n);
    flags.set(5, { flags: ['\\Flagged', '\\Seen'], modseq: 13n });
    change('flags', [5], 13);
    await mailbox.flushUpdates(out, { allowExpunge: false });
    expect(lines).toEqual(['2 FETCH (UID 5 FLAGS (\\Flagged \\Seen) MODSEQ (13))']);
    expect(mailbox.highestModseq).toBe(13n);
  });

  it('replays changes noted while the snapshot was being read', async () => {
    const snap = snapshot([3, 5, 8]);
    const store = { fetchMeta: async () => [] } as unknown as ImapStore;
    const mailbox = new SelectedMailbox(store, snap.mailbox, { accountId: 'acc', isReadOnly: false, enabled: new Set() });
    mailbox.noteChange({ accountId: 'acc', mailboxId: 'mb', kind: 'exists', uids: [8, 9], modseq: '11' });
    mailbox.noteChange({ accountId: 'acc', mailboxId: 'mb', kind: 'expunge', uids: [2, 5], modseq: '12' });
    expect(mailbox.hasPendingUpdates()).toBe(false);
    mailbox.load(snap);
    const lines: string[] = [];
    await mailbox.flushUpdates({ untagged: (l: string) => lines.push(l) } as unknown as ResponseWriter, { allowExpunge: true });
    // 8 was already in the snapshot, 2 had gone before it: only 5's expunge and 9's arrival are news.
    expect(lines).toEqual(['2 EXPUNGE', '3 EXISTS']);
  });

  it('after a bus resync, re-reads what was missed: new UIDs, flag changes and expunges since the last change it saw', async () => {
    const snap = snapshot([3, 5, 8]);
    const asked: bigint[] = [];
    const store = {
      mailboxState: async () => ({ uidNext: 11, highestModseq: 30n, exists: 3 }),
      changesSince: async (_a: string, _m: string, since: bigint) => {
        asked.push(since);
        return {
          changed: [
            { uid: 5, modseq: 25n, flags: ['\\Flagged'] },
            { uid: 10, modseq: 30n, flags: [] },
          ],
          vanished: [8, 9],
        };
      },
      fetchMeta: async () => [{ uid: 5, modseq: 25n, flags: ['\\Flagged'], blobId: 'b' }],
    } as unknown as ImapStore;
    const mailbox = new SelectedMailbox(store, snap.mailbox, { accountId: 'acc', isReadOnly: false, enabled: new Set() });
    mailbox.load(snap);
    mailbox.noteChange({ accountId: 'acc', mailboxId: 'mb', kind: 'flags', uids: [3], modseq: '12' });
    mailbox.noteReported(3, 12n);
    mailbox.noteResync();
    expect(mailbox.hasPendingUpdates()).toBe(true);
    const lines: string[] = [];
    await mailbox.flushUpdates({ untagged: (l: string) => lines.push(l) } as unknown as ResponseWriter, { allowExpunge: true });
    expect(asked).toEqual([12n]);
    expect(lines).toEqual(['3 EXPUNGE', '3 EXISTS', '2 FETCH (UID 5 FLAGS (\\Flagged))']);
    // Nothing newer than what it has now seen: one row read, no changesSince.
    mailbox.noteResync();
    await mailbox.flushUpdates({ untagged: (l: string) => lines.push(l) } as unknown as ResponseWriter, { allowExpunge: true });
    expect(asked).toEqual([12n]);
  });

  it('asks the store again after RECHECK_MS without a signal (a NOTIFY lost unnoticed), and a store error does not fail the flush', async () => {
    vi.useFakeTimers();
    try {
      const snap = snapshot([3]);
      let calls = 0;
      const store = {
        mailboxState: async () => {
          calls++;
          if (calls === 1) throw new Error('database away');
          return { uidNext: 5, highestModseq: 11n, exists: 2 };
        },
        changesSince: async () => ({ changed: [{ uid: 4, modseq: 11n, flags: [] }], vanished: [] }),
        fetchMeta: async () => [],
      } as unknown as ImapStore;
      const mailbox = new SelectedMailbox(store, snap.mailbox, { accountId: 'acc', isReadOnly: false, enabled: new Set() });
      mailbox.load(snap);
      const lines: string[] = [];
      const out = { untagged: (l: string) => lines.push(l) } as unknown as ResponseWriter;
      expect(mailbox.hasPendingUpdates()).toBe(false);
      vi.advanceTimersByTime(RECHECK_MS);
      expect(mailbox.hasPendingUpdates()).toBe(true);
      await mailbox.flushUpdates(out, { allowExpunge: true });
      expect(lines).toEqual([]);
      await mailbox.flushUpdates(out, { allowExpunge: true });
      expect(lines).toEqual(['2 EXISTS']);
      expect(calls).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('ignores changes of other mailboxes', async () => {
    const { mailbox, lines, out } = setup([3]);
    mailbox.noteChange({ accountId: 'acc', mailboxId: 'other', kind: 'exists', uids: [4], modseq: '20' });
    await mailbox.flushUpdates(out, { allowExpunge: true });
    expect(lines).toEqual([]);
  });
});
