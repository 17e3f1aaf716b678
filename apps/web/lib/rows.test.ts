import type { ConversationSummary } from '@correio/contracts';
import { describe, expect, it } from 'vitest';
import { appendPage, conversationRow, mergeFirstPage, patchRows, type Row, threadSubject, undoRows } from './rows';

/** Row n arrived n minutes after the epoch (higher: newer). */
const row = (n: number): Row => ({
  key: String(n),
  kind: 'message',
  messageId: String(n),
  mailboxId: '1',
  threadId: String(n),
  from: { name: '', address: 'a@b' },
  participants: [],
  subject: `s${n}`,
  snippet: '',
  at: new Date(n * 60_000).toISOString(),
  isUnread: false,
  isStarred: false,
  hasAttachments: false,
  labelIds: [],
  count: 1,
});
const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => row(from - i));
const keys = (rs: Row[]) => rs.map((r) => Number(r.key));

describe('appendPage', () => {
  it('appends an older page, skipping rows already shown', () => {
    expect(keys(appendPage(rows(10, 5), rows(6, 5)))).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2]);
  });
});

describe('mergeFirstPage', () => {
  it('keeps the older pages below a refreshed first page, without duplicates or gaps', () => {
    const prev = rows(100, 20); // two pages of 10 loaded: 100..81
    const fresh = rows(102, 10); // two new arrivals: 102..93
    const merged = mergeFirstPage(prev, 2, fresh, true);
    expect(keys(merged)).toEqual([102, 101, ...keys(rows(100, 20))]);
  });

  it('drops rows that left the view (moved elsewhere) from the fresh page range only', () => {
    const prev = rows(100, 20);
    const fresh = rows(100, 11).filter((r) => r.key !== '95'); // 95 was archived elsewhere
    const merged = mergeFirstPage(prev, 2, fresh, true);
    expect(keys(merged)).not.toContain(95);
    expect(keys(merged)).toContain(81);
  });

  it('with one page loaded (or a last page) the fresh page replaces the list', () => {
    expect(keys(mergeFirstPage(rows(10, 10), 1, rows(11, 10), true))).toEqual(keys(rows(11, 10)));
    expect(keys(mergeFirstPage(rows(10, 10), 3, rows(11, 4), false))).toEqual([11, 10, 9, 8]);
  });
});

describe('patchRows / conversationRow', () => {
  it('patches only the named rows', () => {
    const out = patchRows(rows(3, 3), new Set(['2']), { isUnread: true });
    expect(out.map((r) => r.isUnread)).toEqual([false, true, false]);
  });

  it('a conversation row opens in the view’s mailbox when it has a message there', () => {
    const c: ConversationSummary = {
      id: '7',
      messageCount: 3,
      unreadCount: 1,
      participants: [{ name: 'Ana', address: 'ana@x' }],
      subject: 'Plans',
      snippet: 'see you',
      from: { name: 'Ana', address: 'ana@x' },
      latestAt: '2026-12-01T10:00:00.000Z',
      latestMessageId: '70',
      starred: false,
      hasAttachments: false,
      labelIds: ['5'],
      mailboxIds: ['2', '1'],
    };
    const r = conversationRow(c, '1');
    expect(r).toMatchObject({ key: 'c7', kind: 'conversation', mailboxId: '1', isUnread: true, count: 3, messageId: '70' });
    expect(conversationRow(c, '9').mailboxId).toBe('2');
  });
});

describe('threadSubject', () => {
  it.each([
    ['Re: Plans', 'Plans'],
    ['RE: Fwd: re: Plans', 'Plans'],
    ['Res: Enc: Convite', 'Convite'],
    ['AW: Termin', 'Termin'],
    ['Re[2]: Plans', 'Plans'],
    ['Regarding plans', 'Regarding plans'],
    ['Re:', ''],
  ])('%s → %s', (s, t) => expect(threadSubject(s)).toBe(t));
});

describe('undoRows', () => {
  it('takes back only the failed action’s rows, keeping what other actions did meanwhile', () => {
    const before = rows(5, 5); // 5..1
    // The failed action marked 4 unread; meanwhile another action archived 3 (removed from view).
    const now = before.filter((r) => r.key !== '3').map((r) => (r.key === '4' ? { ...r, isUnread: true } : r));
    const out = undoRows(now, before, new Set(['4']));
    expect(keys(out)).toEqual([5, 4, 2, 1]);
    expect(out.find((r) => r.key === '4')?.isUnread).toBe(false);
  });

  it('puts back a row the failed action removed, in the list’s order', () => {
    const before = rows(5, 5);
    const now = before.filter((r) => r.key !== '2');
    expect(keys(undoRows(now, before, new Set(['2'])))).toEqual([5, 4, 3, 2, 1]);
  });
});
