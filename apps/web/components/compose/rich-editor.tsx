'use client';

/**
 * The rich-text editor (Tiptap 3: StarterKit with bold, italic, underline, lists, link, quote, plus
 * inline images and the signature block) with its formatting toolbar. Used by the compose window
 * and by the signature settings. The contenteditable is a labelled multi-line textbox.
 */
import Image from '@tiptap/extension-image';
import { type Editor, EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { type ReactNode, useRef } from 'react';
import { cleanPastedHtml } from '@/lib/compose-html';
import { EditorToolbar } from './editor-toolbar';
import { QuoteNode, SignatureNode } from './signature-node';

interface RichEditorProps {
  label: string;
  initialHtml: string;
  onChange(html: string): void;
  /** Images pasted or dropped into the text: upload them and answer the URL to show. */
  onImageFiles?(files: File[]): Promise<string[]>;
  onReady?(editor: Editor): void;
  /** The cursor moved (e.g. into a folded quote: the window unfolds it). */
  onSelection?(editor: Editor): void;
  /** A press on the empty space below the text; answer true when it placed the cursor itself. */
  onBlankPress?(editor: Editor): boolean;
  className?: string;
  /** Shown between the text and the toolbar ("Show quoted text"). */
  children?: ReactNode;
}

function imageFiles(list: FileList | null | undefined): File[] {
  return Array.from(list ?? []).filter((f) => f.type.startsWith('image/'));
}

export function RichEditor({
  label,
  initialHtml,
  onChange,
  onImageFiles,
  onReady,
  onSelection,
  onBlankPress,
  className,
  children,
}: RichEditorProps) {
  // The handlers change with every render of the owner; the editor is made once.
  const latest = useRef({ onChange, onImageFiles, onReady, onSelection, onBlankPress });
  latest.current = { onChange, onImageFiles, onReady, onSelection, onBlankPress };
  const editorRef = useRef<Editor | null>(null);

  const editor = useEditor({
    immediatelyRender: false,
    extensions: [
      StarterKit.configure({
        heading: false,
        codeBlock: false,
        horizontalRule: false,
        // No empty paragraph forced after a folded quote: a click below the text must land above it.
        trailingNode: false,
        link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
      }),
      Image.configure({ inline: true, allowBase64: false }),
      SignatureNode,
      QuoteNode,
    ],
    content: initialHtml,
    editorProps: {
      attributes: {
        'aria-label': label,
        role: 'textbox',
        'aria-multiline': 'true',
        class: 'rich-editor-content',
        spellcheck: 'true',
      },
      transformPastedHTML: cleanPastedHtml,
      // Ctrl/Cmd+Enter sends: keep the hard-break keymap from taking it (the window handles it).
      handleKeyDown: (_view, event) => event.key === 'Enter' && (event.ctrlKey || event.metaKey),
      handlePaste: (view, event) => {
        const files = imageFiles(event.clipboardData?.files);
        const upload = latest.current.onImageFiles;
        if (files.length === 0 || !upload) return false;
        void upload(files).then((urls) => {
          const { schema } = view.state;
          const nodes = urls.map((src) => schema.nodes.image?.create({ src }));
          let tr = view.state.tr;
          for (const node of nodes) if (node) tr = tr.replaceSelectionWith(node, false);
          view.dispatch(tr);
        });
        return true;
      },
      handleDOMEvents: {
        mousedown: (view, event) => {
          const editor = editorRef.current;
          if (event.target !== view.dom || !editor || !latest.current.onBlankPress?.(editor)) return false;
          event.preventDefault();
          return true;
        },
      },
      // Dropped files are the window's business (attachments); images dropped on the text too.
      handleDrop: (_view, event) => (event.dataTransfer?.files.length ?? 0) > 0,
    },
    onUpdate: ({ editor: e }) => latest.current.onChange(e.getHTML()),
    onCreate: ({ editor: e }) => {
      editorRef.current = e;
      latest.current.onReady?.(e);
    },
    onSelectionUpdate: ({ editor: e }) => latest.current.onSelection?.(e),
  });

  return (
    <div className={`rich-editor${className ? ` ${className}` : ''}`}>
      <div className="rich-editor-scroll">
        <EditorContent editor={editor} className="rich-editor-doc" />
        {children}
      </div>
      <EditorToolbar editor={editor} label={`Formatting for ${label.toLowerCase()}`} />
    </div>
  );
}
