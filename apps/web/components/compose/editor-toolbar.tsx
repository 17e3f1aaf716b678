'use client';

import { type Editor, useEditorState } from '@tiptap/react';
import type { ReactNode } from 'react';
import { BulletListIcon, ClearFormatIcon, LinkIcon, NumberedListIcon } from '../icons';

interface ToolState {
  bold: boolean;
  italic: boolean;
  underline: boolean;
  bulletList: boolean;
  orderedList: boolean;
  link: boolean;
  blockquote: boolean;
}

const OFF: ToolState = {
  bold: false,
  italic: false,
  underline: false,
  bulletList: false,
  orderedList: false,
  link: false,
  blockquote: false,
};

/** Formatting buttons below the text (Gmail's place); toggles carry aria-pressed. */
export function EditorToolbar({ editor, label }: { editor: Editor | null; label: string }) {
  const state =
    useEditorState({
      editor,
      selector: ({ editor: e }): ToolState =>
        e
          ? {
              bold: e.isActive('bold'),
              italic: e.isActive('italic'),
              underline: e.isActive('underline'),
              bulletList: e.isActive('bulletList'),
              orderedList: e.isActive('orderedList'),
              link: e.isActive('link'),
              blockquote: e.isActive('blockquote'),
            }
          : OFF,
    }) ?? OFF;

  const chain = () => editor?.chain().focus();
  const editLink = () => {
    if (!editor) return;
    const current = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
    const href = window.prompt('Link address', current);
    if (href === null) return;
    if (href.trim() === '' || href.trim() === 'https://') chain()?.extendMarkRange('link').unsetLink().run();
    else chain()?.extendMarkRange('link').setLink({ href: href.trim() }).run();
  };

  return (
    <div className="editor-toolbar" role="toolbar" aria-label={label}>
      <Tool name="Bold" pressed={state.bold} onClick={() => chain()?.toggleBold().run()}>
        <b>B</b>
      </Tool>
      <Tool name="Italic" pressed={state.italic} onClick={() => chain()?.toggleItalic().run()}>
        <i>I</i>
      </Tool>
      <Tool name="Underline" pressed={state.underline} onClick={() => chain()?.toggleUnderline().run()}>
        <u>U</u>
      </Tool>
      <span className="toolbar-sep" />
      <Tool name="Bulleted list" pressed={state.bulletList} onClick={() => chain()?.toggleBulletList().run()}>
        <BulletListIcon width={16} height={16} />
      </Tool>
      <Tool name="Numbered list" pressed={state.orderedList} onClick={() => chain()?.toggleOrderedList().run()}>
        <NumberedListIcon width={16} height={16} />
      </Tool>
      <Tool name="Link" pressed={state.link} onClick={editLink}>
        <LinkIcon width={16} height={16} />
      </Tool>
      <Tool name="Quote" pressed={state.blockquote} onClick={() => chain()?.toggleBlockquote().run()}>
        ❝
      </Tool>
      <Tool name="Remove formatting" onClick={() => chain()?.unsetAllMarks().clearNodes().run()}>
        <ClearFormatIcon width={16} height={16} />
      </Tool>
    </div>
  );
}

function Tool({ name, pressed, onClick, children }: { name: string; pressed?: boolean; onClick(): void; children: ReactNode }) {
  return (
    <button
      type="button"
      className={`fmt-btn${pressed ? ' on' : ''}`}
      aria-label={name}
      title={name}
      aria-pressed={pressed}
      // Keep the text selection: the button must not take focus from the editor on click.
      onMouseDown={(e) => e.preventDefault()}
      onClick={onClick}
    >
      <span aria-hidden="true">{children}</span>
    </button>
  );
}
