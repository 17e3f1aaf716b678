import { describe, expect, it } from 'vitest';
import { INITIAL_LIVE, type LiveEvent, type LiveState, reduceLiveEvent, tabTitle } from './live-events';

const ev = (type: string, data: unknown, lastEventId = ''): LiveEvent => ({ type, lastEventId, data: JSON.stringify(data) });
const changed = (mailboxId: string, modseq: string) =>
  ev('mailbox.changed', { type: 'mailbox.changed', data: { mailboxId, change: 'flags', modseq } });

function fold(events: LiveEvent[], state: LiveState = INITIAL_LIVE) {
  const effects = [];
  for (const e of events) {
    const r = reduceLiveEvent(state, e);
    state = r.state;
    effects.push(r.effects);
  }
  return { state, effects };
}

describe('reduceLiveEvent', () => {
  it('new mail refreshes list and counts and carries what a notification shows', () => {
    const { state, effects } = fold([
      ev(
        'message.received',
        { type: 'message.received', data: { messageId: '42', mailboxId: '1', from: { name: 'Ana', address: 'ana@x' }, subject: 'Hi' } },
        '7',
      ),
    ]);
    expect(effects[0]).toEqual({
      refreshList: true,
      refreshCounts: true,
      newMail: { messageId: '42', mailboxId: '1', from: 'Ana', subject: 'Hi' },
    });
    expect(state.lastEventId).toBe('7');
  });

  it('a repeated outbox event (resumed stream) does nothing the second time', () => {
    const e = ev('message.received', { data: { messageId: '1' } }, '9');
    const { effects } = fold([e, e]);
    expect(effects[1]).toEqual({ refreshList: false, refreshCounts: false, newMail: null });
  });

  it('mailbox.changed refreshes only when its modseq is newer than the last seen for that mailbox', () => {
    const { state, effects } = fold([changed('1', '10'), changed('1', '9'), changed('1', '10'), changed('2', '3'), changed('1', '11')]);
    expect(effects.map((e) => e.refreshList)).toEqual([true, false, false, true, true]);
    expect(state.modseqs).toEqual({ '1': '11', '2': '3' });
  });

  it('a mailbox.changed after new mail is not taken for a repeat: EventSource gives it the outbox id before it', () => {
    // As a browser delivers them: the flag change has no id line, so it arrives with lastEventId '7'.
    const inherit = (e: LiveEvent): LiveEvent => ({ ...e, lastEventId: '7' });
    const { state, effects } = fold([
      ev('message.received', { data: { messageId: '42', mailboxId: '1' } }, '7'),
      inherit(ev('mailbox.changed', { data: { mailboxId: '1', change: 'exists', modseq: '2' } })),
      inherit(changed('1', '3')),
      inherit(changed('1', '3')),
    ]);
    expect(effects.map((e) => e.refreshList)).toEqual([true, true, true, false]);
    expect(state.lastEventId).toBe('7');
  });

  it('compares modseqs as big numbers, not as strings', () => {
    const { effects } = fold([changed('1', '9'), changed('1', '10'), changed('1', '9007199254740993')]);
    expect(effects.map((e) => e.refreshList)).toEqual([true, true, true]);
  });

  it('delivery events move Last-Event-ID but refresh nothing; junk data is survived', () => {
    const { state, effects } = fold([
      ev('delivery.delivered', { data: {} }, '12'),
      { type: 'message.sent', lastEventId: '13', data: 'not json' },
    ]);
    expect(effects[0]?.refreshList).toBe(false);
    expect(effects[1]?.refreshList).toBe(true);
    expect(state.lastEventId).toBe('13');
  });
});

describe('tabTitle', () => {
  it.each([
    ['Inbox', 0, 'Inbox · Correio'],
    ['Inbox', 3, 'Inbox (3) · Correio'],
    ['Inbox', 12345, 'Inbox (12,345) · Correio'],
  ])('%s %d → %s', (name, n, t) => expect(tabTitle(name, n)).toBe(t));
});
