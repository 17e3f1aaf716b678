import { describe, expect, it } from 'vitest';
import { sanitizeEmailHtml } from './sanitize';

// DESIGN invariant 8: received HTML is hostile. Each row is hostile (or remote-loading) input and
// what must (not) survive the sanitizer, with and without the reader's "show images".

interface Row {
  name: string;
  html: string;
  /** Must not appear in the output (either mode). */
  gone: RegExp[];
  /** Must appear in the output (blocked mode). */
  kept?: RegExp[];
  /** Expected hasRemoteContent (either mode). */
  remote: boolean;
}

const HOSTILE: Row[] = [
  {
    name: 'script element and its text',
    html: '<p>hi<script>alert(1)</script></p>',
    gone: [/<script/i, /alert/],
    kept: [/<p>hi<\/p>/],
    remote: false,
  },
  {
    name: 'script with odd casing and attributes',
    html: '<ScRiPt src="https://e/x.js" >x()</sCrIpT><b>b</b>',
    gone: [/script/i, /x\(\)/],
    kept: [/<b>b<\/b>/],
    remote: false,
  },
  {
    name: 'on* handlers on img and div',
    html: '<img src="x" onerror="alert(1)"><div onclick="x()" onmouseover="y()">a</div>',
    gone: [/onerror/i, /onclick/i, /onmouseover/i, /alert/],
    kept: [/<div>a<\/div>/],
    remote: false,
  },
  {
    name: 'handler on body',
    html: '<body onload="alert(1)"><p>x</p></body>',
    gone: [/onload/i, /alert/],
    kept: [/<p>x<\/p>/],
    remote: false,
  },
  {
    name: 'javascript: URL in a link',
    html: '<a href="javascript:alert(1)">x</a>',
    gone: [/javascript/i, /alert/, /href/],
    kept: [/<a [^>]*>x<\/a>/],
    remote: false,
  },
  {
    name: 'javascript: URL with spaces and casing',
    html: '<a href="  JaVaScRiPt:alert(1)">y</a>',
    gone: [/javascript/i, /href/],
    remote: false,
  },
  {
    name: 'javascript: URL with an entity-encoded tab',
    html: '<a href="java&#x09;script:alert(1)">z</a>',
    gone: [/script/i, /href/],
    remote: false,
  },
  { name: 'javascript: URL in img src', html: '<img src="javascript:alert(1)">', gone: [/javascript/i, /src=/], remote: false },
  {
    name: 'data: URL in a link (HTML document)',
    html: '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    gone: [/data:/, /script/i],
    remote: false,
  },
  {
    name: 'iframe',
    html: '<iframe src="https://evil.example/"></iframe><p>after</p>',
    gone: [/iframe/i, /evil/],
    kept: [/<p>after<\/p>/],
    remote: false,
  },
  {
    name: 'iframe srcdoc',
    html: '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    gone: [/iframe/i, /srcdoc/i, /alert/],
    remote: false,
  },
  {
    name: 'object and embed',
    html: '<object data="x.swf"><param name="a" value="b"></object><embed src="y.swf">',
    gone: [/object/i, /embed/i, /swf/, /param/i],
    remote: false,
  },
  {
    name: 'form with inputs and a button',
    html: '<form action="https://phish.example/"><input name="pw" type="password"><button>Go</button></form>',
    gone: [/<form/i, /<input/i, /action=/i, /phish/],
    remote: false,
  },
  {
    name: 'svg with onload',
    html: '<svg onload="alert(1)"><circle r="1"/></svg><p>ok</p>',
    gone: [/svg/i, /onload/i, /alert/],
    kept: [/<p>ok<\/p>/],
    remote: false,
  },
  {
    name: 'math with xlink javascript',
    html: '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    gone: [/javascript/i, /xlink/i, /<math/i],
    remote: false,
  },
  {
    name: 'base, meta refresh and link',
    html: '<base href="https://evil/"><meta http-equiv="refresh" content="0;url=https://e"><link rel="stylesheet" href="https://e/s.css"><p>x</p>',
    gone: [/<base/i, /<meta/i, /<link/i, /refresh/i],
    remote: false,
  },
  {
    name: 'srcset (not an allowed attribute)',
    html: '<img srcset="https://e/x.png 1x" alt="a">',
    gone: [/srcset/i, /e\/x\.png/],
    remote: false,
  },
  {
    name: 'closing style early to smuggle a tag',
    html: '<style>p{}</style><img src=x onerror=alert(1)>',
    gone: [/onerror/i, /alert/],
    remote: false,
  },
];

describe('sanitizeEmailHtml: hostile markup', () => {
  it.each(HOSTILE)('$name', ({ html, gone, kept, remote }) => {
    for (const allowRemote of [false, true]) {
      const r = sanitizeEmailHtml(html, { allowRemote });
      for (const re of gone) expect(r.html, `allowRemote=${allowRemote}`).not.toMatch(re);
      if (!allowRemote) for (const re of kept ?? []) expect(r.html).toMatch(re);
      expect(r.hasRemoteContent, `allowRemote=${allowRemote}`).toBe(remote);
    }
  });

  it('forces links to open outside the frame without an opener or referrer', () => {
    const { html } = sanitizeEmailHtml('<a href="https://example.org/" target="_self" rel="opener">ok</a>', { allowRemote: false });
    expect(html).toBe('<a href="https://example.org/" target="_blank" rel="noopener noreferrer nofollow">ok</a>');
  });
});

// Remote content: reported in both modes (the reader sees the "show images" choice), removed from the
// markup unless allowed. Style url() loads stay in the markup: the reading frame's CSP blocks them
// until the user allows remote content, so the flag is what matters there.
interface RemoteRow {
  name: string;
  html: string;
  blocked: { gone: RegExp[]; kept?: RegExp[] };
  allowed: { kept: RegExp[] };
}

const REMOTE: RemoteRow[] = [
  {
    name: 'remote <img>',
    html: '<img src="https://tracker.example/p.gif" alt="t">',
    blocked: { gone: [/tracker/, /src=/], kept: [/<img alt="t" \/>/] },
    allowed: { kept: [/<img src="https:\/\/tracker\.example\/p\.gif" alt="t" \/>/] },
  },
  {
    name: 'plain http <img>',
    html: '<img src="http://tracker.example/p.gif">',
    blocked: { gone: [/tracker/] },
    allowed: { kept: [/src="http:\/\/tracker\.example\/p\.gif"/] },
  },
  {
    name: 'table background attribute',
    html: '<table background="http://e.example/bg.png"><tr><td>x</td></tr></table>',
    blocked: { gone: [/background=/, /bg\.png/], kept: [/<td>x<\/td>/] },
    allowed: { kept: [/background="http:\/\/e\.example\/bg\.png"/] },
  },
  {
    name: 'style attribute with url(http...)',
    html: '<div style="background:url(http://e.example/x.png)">a</div>',
    blocked: { gone: [], kept: [/>a<\/div>/] },
    allowed: { kept: [/url\(http:\/\/e\.example\/x\.png\)/] },
  },
  {
    name: "style attribute with quoted url('https...')",
    html: `<p style="background-image: url( 'https://e.example/x.png')">a</p>`,
    blocked: { gone: [] },
    allowed: { kept: [/e\.example/] },
  },
  {
    name: 'protocol-relative url() in a style attribute',
    html: '<div style="background:url(//e.example/x)">a</div>',
    blocked: { gone: [] },
    allowed: { kept: [/\/\/e\.example\/x/] },
  },
  {
    name: '<style> block with url(https...)',
    html: '<style>body{background:url(https://e.example/x.png)}</style><p>x</p>',
    blocked: { gone: [], kept: [/<p>x<\/p>/] },
    allowed: { kept: [/<style>/] },
  },
  {
    name: '<style> block with @import url(...)',
    html: '<style>@import url(https://e.example/s.css);</style><p>x</p>',
    blocked: { gone: [] },
    allowed: { kept: [/@import/] },
  },
  {
    name: '<style> block with @import "..." (no url())',
    html: '<style>@import "https://e.example/s.css";</style><p>x</p>',
    blocked: { gone: [] },
    allowed: { kept: [/@import/] },
  },
];

describe('sanitizeEmailHtml: remote content', () => {
  it.each(REMOTE)('$name is reported in both modes', ({ html, blocked, allowed }) => {
    const b = sanitizeEmailHtml(html, { allowRemote: false });
    expect(b.hasRemoteContent).toBe(true);
    for (const re of blocked.gone) expect(b.html).not.toMatch(re);
    for (const re of blocked.kept ?? []) expect(b.html).toMatch(re);
    const a = sanitizeEmailHtml(html, { allowRemote: true });
    expect(a.hasRemoteContent).toBe(true);
    for (const re of allowed.kept) expect(a.html).toMatch(re);
  });

  it.each([
    ['an inline data: image', '<img src="data:image/png;base64,iVBORw0KGgo=">'],
    ['a relative image', '<img src="logo.png">'],
    ['a style without urls', '<style>p{color:red}</style><p style="color:blue">x</p>'],
    ['the word url( in text', '<p>see url(https://example.org) here</p>'],
    ['a link to a web page (not a load)', '<a href="https://example.org/">x</a>'],
  ])('%s is not remote content', (_name, html) => {
    expect(sanitizeEmailHtml(html, { allowRemote: false }).hasRemoteContent).toBe(false);
  });

  it('never keeps a protocol-relative image, even when remote content is allowed', () => {
    const r = sanitizeEmailHtml('<img src="//tracker.example/p.gif">', { allowRemote: true });
    expect(r.hasRemoteContent).toBe(true);
    expect(r.html).not.toContain('tracker');
  });
});

describe('sanitizeEmailHtml: cid: inline images', () => {
  const inlineImages = new Map([['logo@x', 'data:image/png;base64,QUJD']]);

  it.each([
    ['cid:logo@x', 'plain'],
    ['cid:<logo@x>', 'angle brackets'],
    ['CID:logo@x', 'upper-case scheme'],
  ])('%s (%s) becomes the part as a data: URI', (src) => {
    const r = sanitizeEmailHtml(`<img src="${src}" alt="logo">`, { allowRemote: false, inlineImages });
    expect(r.html).toBe('<img src="data:image/png;base64,QUJD" alt="logo" />');
    expect(r.hasRemoteContent).toBe(false);
  });

  it('drops the src of a cid: that names no part (nothing to load, nothing to leak)', () => {
    const r = sanitizeEmailHtml('<img src="cid:missing@x" alt="m">', { allowRemote: true, inlineImages });
    expect(r.html).toBe('<img alt="m" />');
  });
});

describe('sanitizeEmailHtml: remote url() in style attributes', () => {
  it.each([
    ['background:url(http://e.example/x.png);color:red', 'background:url();color:red'],
    ["background-image: url( 'https://e.example/x.png')", 'background-image:url()'],
    ['background:url(//e.example/x.png)', 'background:url()'],
  ])('blocked: %s loses the remote address', (style, kept) => {
    const r = sanitizeEmailHtml(`<div style="${style}">a</div>`, { allowRemote: false });
    expect(r.hasRemoteContent).toBe(true);
    expect(r.html).not.toMatch(/e\.example/);
    expect(r.html.replace(/\s/g, '')).toContain(kept.replace(/\s/g, ''));
  });

  it('allowed: the remote address stays', () => {
    const r = sanitizeEmailHtml('<div style="background:url(https://e.example/x.png)">a</div>', { allowRemote: true });
    expect(r.html).toContain('https://e.example/x.png');
  });
});
