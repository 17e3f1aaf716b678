import { Selection } from '@tiptap/pm/state';
import type { Editor } from '@tiptap/react';

/** With a reply's quote folded, a press below the text puts the cursor at the end of what is shown above it. */
export function placeAboveQuote(editor: Editor): boolean {
  let quoteAt = -1;
  editor.state.doc.forEach((node, offset) => {
    if (quoteAt === -1 && node.type.name === 'quote') quoteAt = offset;
  });
  if (quoteAt <= 0) return false;
  const { state } = editor;
  editor.view.dispatch(state.tr.setSelection(Selection.near(state.doc.resolve(quoteAt), -1)));
  editor.view.focus();
  return true;
}
