import sanitizeHtml from 'sanitize-html';

/**
 * Received HTML is hostile (DESIGN invariant 8). This is the server-side half of the defence: no
 * scripts, no event handlers, no forms/frames/objects, no javascript: URLs, and no remote loads
 * unless the reader allowed them. The other half is the web client's sandboxed iframe with a strict
 * CSP, which also blocks what CSS could still reference.
 */

export interface SanitizeOptions {
  /** Keep http(s) image sources (the user clicked "show images"). */
  allowRemote: boolean;
  /** cid: → data: URI for inline parts, so inline images show without any request. */
  inlineImages?: Map<string, string>;
}

export interface SanitizedHtml {
  html: string;
  /** Whether remote images/styles were present (blocked unless allowRemote). */
  hasRemoteContent: boolean;
}

const REMOTE_URL = /^\s*(https?:)?\/\//i;
const CSS_REMOTE_URL = /url\(\s*['"]?\s*(https?:)?\/\//i;
/** A whole remote url(...) value, to blank it out. */
const CSS_REMOTE_URL_GLOBAL = /url\(\s*['"]?\s*(https?:)?\/\/[^)]*\)/gi;
// CSS loads remote resources through url(...) and through `@import "..."` without url().
const CSS_REMOTE_IMPORT = /@import\s+['"]\s*(https?:)?\/\//i;
// sanitize-html copies <style> contents verbatim (its textFilter never sees them), so remote loads
// in style blocks are found in the output. Text outside <style> is escaped there, so every match is
// a real style element.
const STYLE_BLOCK = /<style\b[^>]*>([\s\S]*?)<\/style>/gi;

const ALLOWED_TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img', 'style', 'center', 'font', 'span', 'div', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'caption', 'colgroup', 'col', 'u', 's', 'strike', 'sub', 'sup', 'small', 'big', 'hr', 'br',
];

const COMMON_ATTRS = ['style', 'class', 'id', 'dir', 'lang', 'title', 'align', 'valign', 'width', 'height', 'bgcolor', 'color'];

export function sanitizeEmailHtml(html: string, options: SanitizeOptions): SanitizedHtml {
  let hasRemoteContent = false;
  const out = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    // <style> is needed by most newsletters; inside the sandboxed iframe with CSP it cannot run code,
    // and remote url() loads in it are blocked by img-src/font-src there.
    allowVulnerableTags: true,
    allowedAttributes: {
      '*': COMMON_ATTRS,
      a: ['href', 'name', 'target', 'rel'],
      img: ['src', 'alt', 'width', 'height', 'border'],
      font: ['face', 'size', 'color'],
      table: ['border', 'cellpadding', 'cellspacing', 'background'],
      td: ['colspan', 'rowspan', 'background', 'nowrap'],
      th: ['colspan', 'rowspan', 'background', 'nowrap'],
      ol: ['start', 'type'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel', 'data', 'cid'],
    allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'], a: ['http', 'https', 'mailto', 'tel'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: ['script', 'noscript', 'textarea', 'option', 'title', 'head', 'iframe', 'object', 'embed', 'applet', 'form'],
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
      }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        const next = { ...attribs };
        if (src.toLowerCase().startsWith('cid:')) {
          const dataUri = options.inlineImages?.get(src.slice(4).replace(/^<|>$/g, ''));
          if (dataUri) next.src = dataUri;
          else delete next.src;
        } else if (REMOTE_URL.test(src)) {
          hasRemoteContent = true;
          if (!options.allowRemote) delete next.src;
        }
        return { tagName, attribs: next };
      },
      '*': (tagName, attribs) => {
        const next = { ...attribs };
        if (next.background && REMOTE_URL.test(next.background)) {
          hasRemoteContent = true;
          if (!options.allowRemote) delete next.background;
        }
        if (next.style && CSS_REMOTE_URL.test(next.style)) {
          hasRemoteContent = true;
          // Blocked: drop the remote url() so the browser never even tries (the frame's CSP would
          // refuse it too; this keeps the attempt off the wire and out of the console).
          if (!options.allowRemote) next.style = next.style.replace(CSS_REMOTE_URL_GLOBAL, 'url()');
        }
        return { tagName, attribs: next };
      },
    },
  });
  for (const [, css] of out.matchAll(STYLE_BLOCK)) {
    if (CSS_REMOTE_URL.test(css ?? '') || CSS_REMOTE_IMPORT.test(css ?? '')) hasRemoteContent = true;
  }
  return { html: out, hasRemoteContent };
}
