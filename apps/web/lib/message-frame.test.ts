import { describe, expect, it } from 'vitest';
import { buildFrameDocument, FRAME_SANDBOX, frameCsp } from './message-frame';

describe('message frame', () => {
  it('blocks everything but data: images, inline styles and data: fonts by default', () => {
    expect(frameCsp({ allowRemoteImages: false })).toBe(
      "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'",
    );
  });

  it('loosens only img-src when the user allows remote images', () => {
    const csp = frameCsp({ allowRemoteImages: true });
    expect(csp).toContain('img-src https: http: data: cid:');
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
  });

  it('puts the CSP meta first in <head>, before the mail body and any meta the mail carries', () => {
    const doc = buildFrameDocument('<meta http-equiv="Content-Security-Policy" content="img-src *"><p>hi</p>', {
      allowRemoteImages: false,
    });
    const ours = doc.indexOf('http-equiv="Content-Security-Policy"');
    expect(ours).toBeGreaterThan(0);
    expect(ours).toBeLessThan(doc.indexOf('<body>'));
    expect(doc.slice(0, doc.indexOf('</head>'))).toContain(`content="${frameCsp({ allowRemoteImages: false })}"`);
    expect(doc).toContain('<base target="_blank">');
    expect(doc).toContain('<meta name="referrer" content="no-referrer">');
    expect(doc).toContain('<body><meta http-equiv="Content-Security-Policy" content="img-src *"><p>hi</p></body>');
  });

  it('never lets the frame run scripts or share our origin', () => {
    const tokens = FRAME_SANDBOX.split(/\s+/);
    expect(tokens).not.toContain('allow-scripts');
    expect(tokens).not.toContain('allow-same-origin');
    expect(tokens).not.toContain('allow-top-navigation');
    expect(tokens).not.toContain('allow-forms');
  });
});
