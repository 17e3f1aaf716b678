import { compile } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

/**
 * HTML a user writes (compose, drafts, signatures) is sanitized on the server before it is stored
 * or sent: what an editor makes (formatting, links, lists, quotes, tables, images) stays; scripts,
 * handlers, <style> blocks, frames, forms, and styles that could escape the message (positioning,
 * url() loads) go. Images may only be `cid:` parts of the message or `data:` URIs: a sent message
 * never makes its reader fetch anything. The receiving side sanitizes again (sanitize.ts).
 */

const TAGS = [
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'sub', 'sup', 'small',
  'a', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'img', 'font',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col',
];

const COLOR = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*[\d.\s,%]+\)$/i, /^[a-z]{3,20}$/i];
const LENGTH = [/^-?\d+(\.\d+)?(px|em|rem|%|pt)?$/i];
const STYLES: Record<string, RegExp[]> = {
  color: COLOR,
  'background-color': COLOR,
  'font-weight': [/^(normal|bold|bolder|lighter|\d{3})$/i],
  'font-style': [/^(normal|italic|oblique)$/i],
  'font-size': [/^\d+(\.\d+)?(px|em|rem|%|pt)$/i, /^(x-small|small|medium|large|x-large|xx-large)$/i],
  'font-family': [/^[\w\s,"'-]{1,200}$/],
  'text-decoration': [/^[a-z\s-]{1,60}$/i],
  'text-align': [/^(left|right|center|justify|start|end)$/i],
  'line-height': LENGTH,
  'margin-left': LENGTH,
  'padding-left': LENGTH,
  'border-left': [/^[\w\s#(),.%-]{1,80}$/],
  width: LENGTH,
  height: LENGTH,
};

export function sanitizeOutgoingHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: TAGS,
    allowedAttributes: {
      '*': ['style', 'dir', 'lang', 'title', 'align'],
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height'],
      font: ['face', 'size', 'color'],
      table: ['border', 'cellpadding', 'cellspacing', 'width'],
      td: ['colspan', 'rowspan', 'width'],
      th: ['colspan', 'rowspan', 'width'],
      ol: ['start', 'type'],
      blockquote: ['type', 'cite'],
    },
    allowedStyles: { '*': STYLES },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid', 'data'], a: ['http', 'https', 'mailto', 'tel'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'style', 'noscript', 'textarea', 'option', 'title', 'head', 'iframe', 'object', 'embed', 'applet', 'form', 'svg', 'math'],
    transformTags: {
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        // data: only for images (a data:text/html "image" is no image).
        const ok = /^cid:/i.test(src) || /^data:image\/(png|jpe?g|gif|webp|bmp);base64,/i.test(src);
        const next = { ...attribs };
        if (!ok) delete next.src;
        return { tagName, attribs: next };
      },
    },
  });
}

/**
 * The plain-text alternative of an HTML body (RFC 2046 §5.1.4: the simplest part first), so a
 * text-only reader gets the same content: links as "text [url]", list items with "* " or "1. ",
 * quotes as "> " lines, images as their alt text, no line wrapping past 78 characters.
 */
export function htmlToPlainText(html: string): string {
  plainTextConverter ??= compile({
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['[', ']'] } },
      { selector: 'img', format: 'skip' },
      { selector: 'ul', options: { itemPrefix: '* ' } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
  return plainTextConverter(html).trim();
}

/**
 * The converter is compiled once: html-to-text's convert() compiles its options (selectors,
 * formatters) on every call, which was over half the search text indexer's time per HTML part
 * (bench/README "Issue 11, session 13"). The compiled function keeps no state between calls.
 */
let plainTextConverter: ((html: string) => string) | undefined;

/** Plain text as HTML paragraphs (a text-only draft opened in the HTML editor). */
export function plainTextToHtml(text: string): string {
  const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .replace(/\r\n/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}
