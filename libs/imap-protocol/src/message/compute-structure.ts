import type { BodyPart, MessageStructure } from '../message-types';
import { computeEnvelope } from './envelope';
import { type HeaderField, headerValue, scanHeaderBlock } from './header-block';
import { MIME_LIMITS, type MimeLimits } from './mime-limits';
import { findBoundaryParts } from './multipart';
import { parseParameterized } from './params';

/**
 * Version of the MessageStructure this code computes. The store keeps the structure as JSON with
 * its version and recomputes it when the kept version is lower (a fix here reaches old mail).
 * 1: first version (issue 11).
 */
export const MESSAGE_STRUCTURE_VERSION = 1;

/**
 * The MIME tree of a raw message (RFC 2045/2046), with byte offsets into `raw` for every header and
 * body, the top-level ENVELOPE and per-part BODYSTRUCTURE fields. Works on offsets: no body is
 * copied or decoded, only header blocks are read as text. Never throws; past MIME_LIMITS the rest of
 * an entity is kept as one opaque application/octet-stream part.
 */
export function computeMessageStructure(raw: Buffer, limits: MimeLimits = MIME_LIMITS): MessageStructure {
  const ctx: Context = { raw, limits, parts: 0 };
  const header = scanHeaderBlock(raw, 0, raw.length, limits.maxHeaderBytes);
  const body = buildPart(ctx, 0, raw.length, 0, DEFAULT_TEXT, header.fields, header.bodyStart);
  return { version: MESSAGE_STRUCTURE_VERSION, envelope: computeEnvelope(header.fields), body };
}

interface Context {
  raw: Buffer;
  limits: MimeLimits;
  parts: number;
}

type MediaType = { type: string; subtype: string };
const DEFAULT_TEXT: MediaType = { type: 'text', subtype: 'plain' };
const DEFAULT_DIGEST: MediaType = { type: 'message', subtype: 'rfc822' };
// Transfer encodings under which a message/* or multipart/* body is readable as is (RFC 2045 §6.4, RFC 6532 §3.5).
const IDENTITY = new Set(['7bit', '8bit', 'binary']);

/** One entity whose header block is [start, bodyStart) and body [bodyStart, end). */
function buildPart(
  ctx: Context,
  start: number,
  end: number,
  depth: number,
  fallback: MediaType,
  fields: HeaderField[],
  bodyStart: number,
): BodyPart {
  ctx.parts++;
  const contentType = headerValue(fields, 'content-type');
  const parsed = contentType === undefined ? undefined : parseParameterized(contentType);
  const slash = parsed?.value.indexOf('/') ?? -1;
  // RFC 2045 §5.2: no (or an unreadable) Content-Type is text/plain; charset=us-ascii (message/rfc822 in a digest).
  const isValid = parsed !== undefined && slash > 0 && slash < parsed.value.length - 1 && !/[\s/]/.test(parsed.value.slice(slash + 1));
  const media: MediaType = isValid ? { type: parsed.value.slice(0, slash), subtype: parsed.value.slice(slash + 1) } : fallback;
  const params = isValid ? parsed.params : {};
  // RFC 2045 §5.2: text without a charset is us-ascii; Dovecot sends the default, and so do we.
  if (media.type === 'text' && params.charset === undefined) params.charset = 'us-ascii';
  const disposition = headerValue(fields, 'content-disposition');
  const dsp = disposition === undefined ? undefined : parseParameterized(disposition);
  const language = headerValue(fields, 'content-language');
  const part: BodyPart = {
    type: media.type,
    subtype: media.subtype,
    params,
    id: headerValue(fields, 'content-id') ?? null,
    description: headerValue(fields, 'content-description') ?? null,
    encoding: (headerValue(fields, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase() || '7bit',
    size: end - bodyStart,
    lines: null,
    md5: null,
    disposition: dsp && dsp.value !== '' ? { type: dsp.value, params: dsp.params } : null,
    language: language === undefined ? null : parseLanguages(language),
    location: headerValue(fields, 'content-location') ?? null,
    headerStart: start,
    bodyStart,
    bodyEnd: end,
  };
  const canDescend = depth < ctx.limits.maxDepth && ctx.parts < ctx.limits.maxParts;
  if (media.type === 'multipart') {
    if (!canDescend) return opaque(part);
    part.children = buildChildren(ctx, part, depth, media.subtype === 'digest' ? DEFAULT_DIGEST : DEFAULT_TEXT);
  } else if (media.type === 'message' && (media.subtype === 'rfc822' || media.subtype === 'global')) {
    // An encoded message/rfc822 is not allowed (RFC 2046 §5.2.1) and not readable as is; sent as a
    // body-type-msg without an envelope it would derail clients' parsers, so it becomes opaque.
    if (!canDescend || !IDENTITY.has(part.encoding)) return opaque(part);
    const inner = scanHeaderBlock(ctx.raw, bodyStart, end, ctx.limits.maxHeaderBytes);
    part.message = {
      envelope: computeEnvelope(inner.fields),
      body: buildPart(ctx, bodyStart, end, depth + 1, DEFAULT_TEXT, inner.fields, inner.bodyStart),
    };
    part.lines = countLines(ctx.raw, bodyStart, end);
  } else if (media.type === 'text') {
    part.lines = countLines(ctx.raw, bodyStart, end);
  }
  return part;
}

function buildChildren(ctx: Context, part: BodyPart, depth: number, fallback: MediaType): BodyPart[] {
  const boundary = part.params.boundary;
  const ranges = boundary ? findBoundaryParts(ctx.raw, part.bodyStart, part.bodyEnd, boundary, ctx.limits.maxParts - ctx.parts) : [];
  // When the part budget runs out, the last range holds the rest of this multipart; buildPart then
  // cannot descend into it, so it stays one opaque part.
  const children = ranges.map(([start, end]) => {
    const header = scanHeaderBlock(ctx.raw, start, end, ctx.limits.maxHeaderBytes);
    return buildPart(ctx, start, end, depth + 1, fallback, header.fields, header.bodyStart);
  });
  if (children.length > 0) return children;
  // No part found (no boundary parameter, or no delimiter line): body-type-mpart needs one body
  // (RFC 9051 §9), so like Dovecot we report one empty text/plain part.
  return [
    {
      ...emptyText(),
      headerStart: part.bodyEnd,
      bodyStart: part.bodyEnd,
      bodyEnd: part.bodyEnd,
    },
  ];
}

function emptyText(): Omit<BodyPart, 'headerStart' | 'bodyStart' | 'bodyEnd'> {
  return {
    type: 'text',
    subtype: 'plain',
    params: { charset: 'us-ascii' },
    id: null,
    description: null,
    encoding: '7bit',
    size: 0,
    lines: 0,
    md5: null,
    disposition: null,
    language: null,
    location: null,
  };
}

/** An entity past a limit: its bytes stay fetchable as one leaf, nothing below it is parsed. */
function opaque(part: BodyPart): BodyPart {
  const { children: _children, message: _message, ...rest } = part;
  return { ...rest, type: 'application', subtype: 'octet-stream', lines: null };
}

/** RFC 3282 Content-Language: a comma-separated list of tags. */
function parseLanguages(value: string): string[] | null {
  const tags = value
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return tags.length > 0 ? tags : null;
}

/** body-fld-lines: the number of line ends in the body (a last line without one is not counted, as Dovecot counts). */
function countLines(raw: Buffer, start: number, end: number): number {
  const view = raw.subarray(0, end);
  let lines = 0;
  for (let i = view.indexOf(10, start); i !== -1; i = view.indexOf(10, i + 1)) lines++;
  return lines;
}
