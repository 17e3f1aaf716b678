/**
 * HTML pieces of a message being written: escaping, text → paragraphs, the signature block,
 * and the mapping of inline images between what the editor shows (blob:/attachment URLs) and what
 * the message carries (cid:, RFC 2392). Pure string work, no DOM, so it is unit-tested.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain text as paragraphs (blank lines) and line breaks, escaped. */
export function textToHtml(text: string): string {
  const paragraphs = text.replace(/\r\n?/g, '\n').split(/\n{2,}/);
  return paragraphs
    .filter((p) => p.trim().length > 0)
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('');
}

/** The signature as it is put into the editor: its own block, so it can be found and swapped. */
export function signatureBlock(signatureHtml: string): string {
  return signatureHtml.trim() ? `<div data-signature="">${signatureHtml}</div>` : '';
}

const SIGNATURE = /<div data-signature="[^"]*">([\s\S]*?)<\/div>/;

/** Inner HTML of the first signature block, or null when the body has none. */
export function extractSignature(html: string): string | null {
  const m = SIGNATURE.exec(html);
  return m ? (m[1] ?? '') : null;
}

/**
 * Swaps the signature when From changes — only if the body still holds `previous` (as the editor
 * rendered it), so one the user edited is left alone. Returns null when nothing should change.
 */
export function swapSignature(html: string, previous: string | null, nextSignatureHtml: string): string | null {
  const current = extractSignature(html);
  if (current === null || previous === null || current !== previous) return null;
  return html.replace(SIGNATURE, () => signatureBlock(nextSignatureHtml));
}

/** Rewrites every <img src="…"> through `map` (null keeps it). */
export function rewriteImageSources(html: string, map: (src: string) => string | null): string {
  return html.replace(/(<img\b[^>]*?\ssrc=)("([^"]*)"|'([^']*)')/gi, (whole, head: string, _q, dq?: string, sq?: string) => {
    const src = dq ?? sq ?? '';
    const next = map(src);
    return next === null ? whole : `${head}"${escapeHtml(next)}"`;
  });
}

/** Editor → message: the shown URL of each inline image becomes `cid:<contentId>`. */
export function toCidHtml(html: string, contentIdByUrl: ReadonlyMap<string, string>): string {
  return rewriteImageSources(html, (src) => {
    const cid = contentIdByUrl.get(src.replace(/&amp;/g, '&'));
    return cid ? `cid:${cid}` : null;
  });
}

/** Message → editor: `cid:<contentId>` becomes a URL the browser can show. */
export function fromCidHtml(html: string, urlByContentId: ReadonlyMap<string, string>): string {
  return rewriteImageSources(html, (src) => {
    if (!src.toLowerCase().startsWith('cid:')) return null;
    const cid = decodeURIComponent(src.slice(4)).replace(/^<|>$/g, '');
    return urlByContentId.get(cid) ?? null;
  });
}

/** True when the editor holds nothing a person wrote (empty paragraphs, only the signature). */
export function isBlankBody(html: string): boolean {
  const sigless = html.replace(SIGNATURE, '');
  return !/<img\b/i.test(sigless) && sigless.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '') === '';
}

/**
 * Pasted HTML before the editor's schema sees it: no styles, classes, ids or scripts (Word and web
 * pages bring plenty); the schema then keeps only what the toolbar can make.
 */
export function cleanPastedHtml(html: string): string {
  return html
    .replace(/<(style|script|title|xml)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(meta|link)\b[^>]*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s(style|class|id|lang|dir|width|height|align|bgcolor|face|color|size)=("[^"]*"|'[^']*'|[^\s>]+)/gi, '');
}
