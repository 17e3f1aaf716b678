import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, headerState, pruneSelection, selectAllInView, selectAllMatching, selectedInOrder, toggleRow } from './selection';

const order = ['a', 'b', 'c', 'd', 'e', 'f'];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe('selection', () => {
  it('toggles one row and remembers it as the anchor', () => {
    const s1 = toggleRow(EMPTY_SELECTION, order, 'c');
    expect(ids(s1)).toEqual(['c']);
    expect(s1.anchor).toBe('c');
    expect(ids(toggleRow(s1, order, 'c'))).toEqual([]);
  });

  it.each([
    ['downwards', 'b', 'e', ['b', 'c', 'd', 'e']],
    ['upwards', 'e', 'b', ['b', 'c', 'd', 'e']],
    ['onto itself', 'c', 'c', []],
  ])('shift-click selects a range %s', (_name, first, second, expected) => {
    const s = toggleRow(toggleRow(EMPTY_SELECTION, order, first), order, second, true);
    expect(ids(s)).toEqual(expected);
  });

  it('shift-click on a selected row clears the range (the clicked row decides the state)', () => {
    let s = selectAllInView(order);
    s = toggleRow(s, order, 'b'); // b off, anchor b
    s = toggleRow(s, order, 'd', true); // b..d take d's new state: off
    expect(ids(s)).toEqual(['a', 'e', 'f']);
  });

  it('shift-click without an anchor (or with one that left the view) toggles just the row', () => {
    expect(ids(toggleRow(EMPTY_SELECTION, order, 'd', true))).toEqual(['d']);
    const stale = { ids: new Set<string>(), anchor: 'gone', allMatching: false };
    expect(ids(toggleRow(stale, order, 'd', true))).toEqual(['d']);
  });

  it('header checkbox is none / some / all', () => {
    expect(headerState(EMPTY_SELECTION, order)).toBe('none');
    expect(headerState(toggleRow(EMPTY_SELECTION, order, 'a'), order)).toBe('some');
    expect(headerState(selectAllInView(order), order)).toBe('all');
    expect(headerState(selectAllInView([]), [])).toBe('none');
  });

  it('"all matching" is dropped as soon as one row is unticked', () => {
    const all = selectAllMatching(order);
    expect(all.allMatching).toBe(true);
    const narrowed = toggleRow(all, order, 'a');
    expect(narrowed.allMatching).toBe(false);
    expect(ids(narrowed)).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('rows that left the view leave the selection; unchanged selections keep their identity', () => {
    const s = selectAllInView(order);
    expect(pruneSelection(s, order)).toBe(s);
    const pruned = pruneSelection({ ...s, anchor: 'b' }, ['a', 'c']);
    expect(ids(pruned)).toEqual(['a', 'c']);
    expect(pruned.anchor).toBeNull();
    expect(pruneSelection(selectAllMatching(['x']), ['y']).allMatching).toBe(false);
  });

  it('lists the selected ids in display order', () => {
    const s = toggleRow(toggleRow(EMPTY_SELECTION, order, 'e'), order, 'b');
    expect(selectedInOrder(s, order)).toEqual(['b', 'e']);
  });
});
