import { describe, expect, it } from 'vitest';
import { BulkRequest, ConversationListQuery, CreateLabelRequest, UpdateLabelRequest } from './webmail';

// The webmail's request shapes: input → parsed value, or refused.

describe('ConversationListQuery', () => {
  it.each([
    [{}, { limit: 50 }],
    [{ mailboxId: '7', limit: '20' }, { mailboxId: '7', limit: 20 }],
    [{ labelId: '3', cursor: 'abc' }, { labelId: '3', limit: 50, cursor: 'abc' }],
  ])('%j → %j', (input, parsed) => {
    expect(ConversationListQuery.parse(input)).toEqual(parsed);
  });
  it.each([[{ mailboxId: '1', labelId: '2' }], [{ mailboxId: '01' }], [{ limit: '0' }], [{ limit: '201' }]])('%j is refused', (input) => {
    expect(ConversationListQuery.safeParse(input).success).toBe(false);
  });
});

describe('labels', () => {
  it.each([
    [{ name: '  Work ' }, { name: 'Work' }],
    [{ name: 'Família', colour: '#AABBCC' }, { name: 'Família', colour: '#aabbcc' }],
    [{ name: 'x', colour: null }, { name: 'x', colour: null }],
  ])('create %j → %j', (input, parsed) => {
    expect(CreateLabelRequest.parse(input)).toEqual(parsed);
  });
  it.each([[{ name: '' }], [{ name: '   ' }], [{ name: 'a\u0007b' }], [{ name: 'x'.repeat(101) }], [{ name: 'x', colour: 'red' }]])(
    'create %j is refused',
    (input) => {
      expect(CreateLabelRequest.safeParse(input).success).toBe(false);
    },
  );
  it('update needs something to change', () => {
    expect(UpdateLabelRequest.safeParse({}).success).toBe(false);
    expect(UpdateLabelRequest.parse({ colour: null })).toEqual({ colour: null });
  });
});

describe('BulkRequest', () => {
  it.each([
    [{ target: { ids: ['1', '2'] }, action: { type: 'markRead' } }],
    [{ target: { conversationIds: ['9'], mailboxId: '1' }, action: { type: 'archive' } }],
    [{ target: { query: 'from:bruna is:unread' }, action: { type: 'addLabel', labelId: '4' } }],
    [{ target: { ids: ['1'] }, action: { type: 'move', mailboxId: '5' } }],
  ])('%j is accepted', (input) => {
    expect(BulkRequest.parse(input)).toEqual(input);
  });
  it.each([
    [{ target: { ids: [] }, action: { type: 'markRead' } }],
    [{ target: { ids: ['x'] }, action: { type: 'markRead' } }],
    [{ target: { ids: ['1'] }, action: { type: 'move' } }],
    [{ target: { ids: ['1'] }, action: { type: 'addLabel' } }],
    [{ target: { ids: ['1'] }, action: { type: 'explode' } }],
    [{ target: { query: '' }, action: { type: 'delete' } }],
    [{ target: {}, action: { type: 'delete' } }],
    [{ target: { ids: Array.from({ length: 5001 }, (_, i) => String(i + 1)) }, action: { type: 'star' } }],
  ])('%j is refused', (input) => {
    expect(BulkRequest.safeParse(input).success).toBe(false);
  });
});
