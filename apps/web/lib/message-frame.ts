/**
 * Builds the document shown in the reading pane's iframe (DESIGN invariant 8: received HTML is
 * hostile).
 *
 * Defence in depth, each layer enough on its own for scripts:
 *  1. the API returns HTML already sanitized (no scripts, handlers, forms, remote loads);
 *  2. the iframe is `sandbox` without allow-scripts / allow-same-origin: nothing runs, and the
 *     document gets an opaque origin, so it can't read our cookies, storage or DOM;
 *  3. this document's own CSP: nothing loads except data: images, inline styles and data: fonts —
 *     remote images only after the user clicks "Show images" for this message.
 * It also inherits the app's CSP (srcdoc documents do), so both policies must allow a load.
 */

export interface FrameOptions {
  /** The user clicked "Show images" for this message. */
  allowRemoteImages: boolean;
}

/** The API turns cid: references into data: URLs; `cid:` is listed only so stray ones don't error. */
const BLOCKED_IMG_SRC = 'data: cid:';
const ALLOWED_IMG_SRC = 'https: http: data: cid:';

export function frameCsp({ allowRemoteImages }: FrameOptions): string {
  return [
    "default-src 'none'",
    `img-src ${allowRemoteImages ? ALLOWED_IMG_SRC : BLOCKED_IMG_SRC}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    // Stricter extras: mail may carry <base href> or forms; neither may go anywhere.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Applied before the mail's own styles so senders can still style their message. */
const BASE_STYLE = `
html { color-scheme: light; }
body { margin: 0; padding: 20px 24px 32px; font: 14px/1.55 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #fff; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
table { max-width: 100%; }
pre { white-space: pre-wrap; }
blockquote { margin: 0 0 0 .8ex; border-left: 2px solid #d0d7de; padding-left: 1ex; color: #57606a; }
a { color: #0b57d0; }
`;

/**
 * The full srcdoc. The CSP meta comes first in <head> so it governs everything after it; a meta
 * CSP in the mail itself can only add restrictions (multiple policies are all enforced).
 */
export function buildFrameDocument(sanitizedHtml: string, opts: FrameOptions): string {
  const csp = escapeAttr(frameCsp(opts));
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${csp}">` +
    '<meta name="referrer" content="no-referrer">' +
    '<base target="_blank">' +
    `<style>${BASE_STYLE}</style>` +
    `</head><body>${sanitizedHtml}</body></html>`
  );
}

/**
 * The iframe's sandbox tokens. Deliberately NOT allow-scripts and NOT allow-same-origin (either
 * would let mail reach the session). Popups are allowed so links open in a new tab, and escape the
 * sandbox so the opened site works normally (it still can't reach us: opaque origin, no opener).
 */
export const FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
