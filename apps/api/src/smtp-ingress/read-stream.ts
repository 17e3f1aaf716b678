import type { Readable } from 'node:stream';

/** Reads a whole DATA stream into memory (bounded by the listener's SIZE limit, which smtp-server
 * enforces: past it the bytes are drained and sizeExceeded is set). */
export async function readStream(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
