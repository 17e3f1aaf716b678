/**
 * Which rows of the open list are selected, Gmail's way: a click toggles one row, a shift-click
 * sets every row between the last clicked one (the anchor) and this one to the clicked row's new
 * state, "select all" takes every row in view, and "Select all N matching" widens the selection to
 * everything the server would list for the view (the bulk request then names the query, not ids).
 *
 * Pure: rows are named by id in display order (`order`); the component keeps the state.
 */
export interface Selection {
  readonly ids: ReadonlySet<string>;
  /** The row last clicked without shift; the other end of the next shift-click range. */
  readonly anchor: string | null;
  /** Everything matching the view on the server, not only the rows loaded. */
  readonly allMatching: boolean;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null, allMatching: false };

/** A click on row `id`'s checkbox (or `x` on it); `withShift` extends from the anchor. */
export function toggleRow(sel: Selection, order: readonly string[], id: string, withShift = false): Selection {
  const select = !sel.ids.has(id);
  const ids = new Set(sel.ids);
  const from = withShift && sel.anchor !== null ? order.indexOf(sel.anchor) : -1;
  const to = order.indexOf(id);
  if (from !== -1 && to !== -1) {
    const [lo, hi] = from < to ? [from, to] : [to, from];
    for (const rowId of order.slice(lo, hi + 1)) {
      if (select) ids.add(rowId);
      else ids.delete(rowId);
    }
  } else if (select) {
    ids.add(id);
  } else {
    ids.delete(id);
  }
  // Unticking a row while "all matching" was on narrows back to the rows in view.
  return { ids, anchor: id, allMatching: false };
}

export function selectAllInView(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: null, allMatching: false };
}

export function selectAllMatching(order: readonly string[]): Selection {
  return { ids: new Set(order), anchor: null, allMatching: true };
}

/** Rows that left the view (moved, deleted, another page) leave the selection too. */
export function pruneSelection(sel: Selection, order: readonly string[]): Selection {
  if (sel.ids.size === 0) return sel;
  const present = new Set(order);
  let isSame = true;
  for (const id of sel.ids) if (!present.has(id)) isSame = false;
  if (isSame) return sel;
  const ids = new Set([...sel.ids].filter((id) => present.has(id)));
  const anchor = sel.anchor !== null && present.has(sel.anchor) ? sel.anchor : null;
  return { ids, anchor, allMatching: sel.allMatching && ids.size > 0 };
}

/** The header checkbox: unticked, ticked, or mixed (aria-checked="mixed"). */
export function headerState(sel: Selection, order: readonly string[]): 'none' | 'some' | 'all' {
  if (sel.ids.size === 0 || order.length === 0) return 'none';
  return order.every((id) => sel.ids.has(id)) ? 'all' : 'some';
}

/** Ids in display order (bulk requests and undo keep the list's order). */
export function selectedInOrder(sel: Selection, order: readonly string[]): string[] {
  return order.filter((id) => sel.ids.has(id));
}
