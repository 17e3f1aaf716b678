import { describe, expect, it } from 'vitest';
import { actionNotice, isRemovedFromView, rowPatch } from './bulk-effects';
import type { Row } from './rows';

const inbox = { kind: 'mailbox', mailboxId: '1' } as const;
const work = { kind: 'label', labelId: '5' } as const;
const names = { labelName: () => 'Work', mailboxName: () => 'Projects' };

describe('bulk effects', () => {
  it.each([
    [{ type: 'archive' } as const, inbox, true],
    [{ type: 'markRead' } as const, inbox, false],
    [{ type: 'move', mailboxId: '1' } as const, inbox, false],
    [{ type: 'move', mailboxId: '2' } as const, inbox, true],
    [{ type: 'removeLabel', labelId: '5' } as const, work, true],
    [{ type: 'removeLabel', labelId: '5' } as const, inbox, false],
    [{ type: 'addLabel', labelId: '5' } as const, inbox, false],
  ])('%o in %o removes rows: %s', (action, view, removed) => expect(isRemovedFromView(action, view)).toBe(removed));

  it('patches rows that stay', () => {
    const row = { labelIds: ['5'], isUnread: true } as Row;
    expect(rowPatch({ type: 'markRead' }, row)).toEqual({ isUnread: false });
    expect(rowPatch({ type: 'addLabel', labelId: '5' }, row)).toEqual({});
    expect(rowPatch({ type: 'addLabel', labelId: '6' }, row)).toEqual({ labelIds: ['5', '6'] });
    expect(rowPatch({ type: 'removeLabel', labelId: '5' }, row)).toEqual({ labelIds: [] });
  });

  it.each([
    [{ type: 'archive' } as const, 1, true, 'Conversation archived.'],
    [{ type: 'delete' } as const, 3, true, '3 conversations moved to Trash.'],
    [{ type: 'markUnread' } as const, 1, false, 'Message marked as unread.'],
    [{ type: 'move', mailboxId: '9' } as const, 2, false, '2 messages moved to "Projects".'],
    [{ type: 'addLabel', labelId: '5' } as const, 1, true, 'Conversation has been added to "Work".'],
    [{ type: 'junk' } as const, 1200, false, '1,200 messages marked as spam.'],
  ])('%o ×%d → %s', (action, n, isConv, text) => expect(actionNotice(action, n, isConv, names)).toBe(text));
});
