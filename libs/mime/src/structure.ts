import { Splitter } from '@zone-eu/mailsplit';
import { findHeaderBlock, isSingleTextPart } from './header-block';

/**
 * Limits on a message's MIME structure, checked before anything parses it for real (DESIGN
 * invariant 7). mailparser's own splitter stops at 1,000 parts or a 1 MiB header block by throwing,
 * which a receiver would turn into a temporary failure and an endless retry; this check lets the
 * receiver refuse such a message permanently instead, with a reason.
 */
export const MIME_STRUCTURE_LIMITS = {
  /** Nesting of multiparts and message/rfc822 parts. Real mail rarely passes 5. */
  maxDepth: 32,
  /** MIME parts in one message. Real mail rarely passes 50. */
  maxParts: 500,
  /** Bytes of one header block (the top-level header section included). */
  maxHeaderBytes: 256 * 1024,
} as const;

export type MimeStructureVerdict =
  | { ok: true; parts: number; depth: number }
  | { ok: false; reason: 'too-deep' | 'too-many-parts' | 'header-too-large' | 'unparseable'; detail: string };

export async function checkMimeStructure(raw: Buffer, limits = MIME_STRUCTURE_LIMITS): Promise<MimeStructureVerdict> {
  // One text part with a header block inside the limit has no structure to check: skip the
  // splitter's pass over the body (most of the cost for large single-part mail).
  const block = findHeaderBlock(raw, limits.maxHeaderBytes);
  if (block && isSingleTextPart(block)) return { ok: true, parts: 1, depth: 0 };
  // Typed as a plain stream: mailsplit's typings declare only its 'data' event.
  const splitter = new Splitter({ maxHeadSize: limits.maxHeaderBytes, maxChildNodes: limits.maxParts + 1 }) as unknown as NodeJS.ReadWriteStream & { destroy(): void };
  let parts = 0;
  let depth = 0;
  let verdict: MimeStructureVerdict | undefined;
  return new Promise((resolve) => {
    const finish = (v: MimeStructureVerdict) => {
      if (verdict) return;
      verdict = v;
      resolve(v);
      splitter.destroy();
    };
    splitter.on('data', (data: { type: string; parentNode?: unknown }) => {
      if (verdict || data.type !== 'node') return;
      parts++;
      let d = 0;
      // A 'node' chunk is the MIME node itself.
      for (let n = data.parentNode as { parentNode?: unknown } | undefined; n; n = n.parentNode as typeof n) d++;
      depth = Math.max(depth, d);
      if (depth > limits.maxDepth) finish({ ok: false, reason: 'too-deep', detail: `MIME nesting deeper than ${limits.maxDepth}` });
      else if (parts > limits.maxParts) finish({ ok: false, reason: 'too-many-parts', detail: `more than ${limits.maxParts} MIME parts` });
    });
    splitter.on('error', (err: Error & { code?: string }) => {
      const tooLarge = /header size/i.test(err.message);
      const tooMany = /child nodes/i.test(err.message);
      finish(
        tooLarge
          ? { ok: false, reason: 'header-too-large', detail: `a header block over ${limits.maxHeaderBytes} bytes` }
          : tooMany
            ? { ok: false, reason: 'too-many-parts', detail: `more than ${limits.maxParts} MIME parts` }
            : { ok: false, reason: 'unparseable', detail: err.message },
      );
    });
    splitter.on('end', () => finish({ ok: true, parts, depth }));
    splitter.end(raw);
  });
}
