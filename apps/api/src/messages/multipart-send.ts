import { createHash } from 'node:crypto';
import type { SendMessageRequest } from '@correio/contracts';
import type { FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '../common/app-error.js';

/** Files in one multipart send at most (SendMessageRequest's attachment limit). */
const MAX_FILES = 50;

export interface MultipartSend {
  /** The `message` field's JSON with the files added as attachments, not yet validated. */
  request: unknown;
  /** What the files were (for the Idempotency-Key fingerprint: a repeat must carry the same bytes). */
  files: { field: string; filename: string; contentType: string; sha256: string }[];
}

/**
 * Reads POST /api/v1/messages/send as multipart/form-data: a field `message` (the JSON of
 * SendMessageRequest) and files (any field name; `attachments` by convention), streamed from the
 * socket with the total bounded by `maxBytes` (413 past it: the parser stops keeping bytes and the
 * rest of the request is read to its end, so the client gets the answer rather than a reset).
 */
export async function readMultipartSend(req: FastifyRequest, maxBytes: number): Promise<MultipartSend> {
  let message: unknown;
  let total = 0;
  const files: MultipartSend['files'] = [];
  const attachments: NonNullable<SendMessageRequest['attachments']> = [];
  for await (const part of req.parts({ limits: { files: MAX_FILES, fileSize: maxBytes, fields: 10, parts: MAX_FILES + 10 } })) {
    if (part.type === 'field') {
      if (part.fieldname !== 'message') continue;
      try {
        message = JSON.parse(String(part.value));
      } catch {
        throw AppError.invalid('the `message` field must be the JSON of a SendMessageRequest');
      }
      continue;
    }
    const chunks: Buffer[] = [];
    const hash = createHash('sha256');
    for await (const chunk of part.file) {
      total += (chunk as Buffer).length;
      if (total > maxBytes) continue; // keep reading to the end, keep nothing more
      chunks.push(chunk as Buffer);
      hash.update(chunk as Buffer);
    }
    if (total > maxBytes || part.file.truncated) {
      throw new AppError(ErrorCode.TooLarge, `files larger than the ${maxBytes}-byte limit (CORREIO_MAX_MESSAGE_BYTES)`);
    }
    const content = Buffer.concat(chunks);
    const filename = part.filename || 'attachment';
    const contentType = part.mimetype || 'application/octet-stream';
    files.push({ field: part.fieldname, filename, contentType, sha256: hash.digest('hex') });
    attachments.push({ filename, contentType, content: content.toString('base64') });
  }
  if (message === undefined || typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw AppError.invalid('expected a `message` field holding the JSON of a SendMessageRequest');
  }
  const inline = (message as { attachments?: unknown }).attachments;
  const request = { ...message, attachments: [...(Array.isArray(inline) ? inline : []), ...attachments] };
  return { request, files };
}
