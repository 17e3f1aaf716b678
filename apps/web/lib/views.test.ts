import { describe, expect, it } from 'vitest';
import { itemPath, openItemOf, parseView, viewKey, viewPath, viewQuery } from './views';

describe('views', () => {
  it.each([
    ['12', null, { kind: 'mailbox', mailboxId: '12' }],
    ['label-5', null, { kind: 'label', labelId: '5' }],
    ['starred', null, { kind: 'search', q: 'is:starred', name: 'Starred' }],
    ['search', ' from:ana ', { kind: 'search', q: 'from:ana', name: 'Search' }],
    ['scheduled', null, null],
    ['012', null, null],
  ])('%s → %o', (seg, q, view) => expect(parseView(seg, q)).toEqual(view));

  it('paths round-trip through parseView and keep the query', () => {
    const v = parseView('search', 'subject:"big news"');
    if (!v) throw new Error('no view');
    expect(viewPath(v)).toBe('/mail/search?q=subject%3A%22big%20news%22');
    expect(itemPath(v, { kind: 'message', threadId: '1', messageId: '9' })).toBe('/mail/search/9?q=subject%3A%22big%20news%22');
    expect(itemPath({ kind: 'mailbox', mailboxId: '3' }, { kind: 'conversation', threadId: '4', messageId: '9' })).toBe('/mail/3/c/4');
    expect(viewKey(v)).toBe('q:subject:"big news"');
  });

  it('names the whole view in search syntax for "select all matching"', () => {
    expect(viewQuery({ kind: 'mailbox', mailboxId: '1' }, 'INBOX', null)).toBe('in:INBOX');
    expect(viewQuery({ kind: 'mailbox', mailboxId: '1' }, 'My stuff', null)).toBe('in:"My stuff"');
    expect(viewQuery({ kind: 'label', labelId: '1' }, null, 'work')).toBe('label:work');
    expect(viewQuery({ kind: 'search', q: '', name: 'Search' }, null, null)).toBeNull();
  });
});

describe('openItemOf: the reading pane chosen from the path', () => {
  it.each([
    ['/mail/12/c/345', { kind: 'conversation', threadId: '345' }],
    ['/mail/label-3/c/9', { kind: 'conversation', threadId: '9' }],
    ['/mail/search/77', { kind: 'message', messageId: '77' }],
    ['/mail/12', null],
    ['/mail/12/c', null],
    ['/mail/12/c/abc', null],
    ['/mail/12/0', null],
    ['/settings/12/c/3', null],
    ['/mail/scheduled', null],
  ])('%s', (path, want) => expect(openItemOf(path)).toEqual(want));
});
