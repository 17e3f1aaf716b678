import { Node } from '@tiptap/react';

/**
 * The signature block (`<div data-signature>`) as a node of its own, so the editor keeps it as one
 * piece and changing From can find and swap it (lib/compose-html.ts swapSignature).
 */
export const SignatureNode = Node.create({
  name: 'signature',
  group: 'block',
  content: 'block+',
  defining: true,
  parseHTML() {
    return [{ tag: 'div[data-signature]' }];
  },
  renderHTML() {
    return ['div', { 'data-signature': '' }, 0];
  },
});

/** The quote of a reply (`<div data-quote>`): one block the window can fold ("Show quoted text"). */
export const QuoteNode = Node.create({
  name: 'quote',
  group: 'block',
  content: 'block+',
  defining: true,
  parseHTML() {
    return [{ tag: 'div[data-quote]' }];
  },
  renderHTML() {
    return ['div', { 'data-quote': '' }, 0];
  },
});
