import type { Readable } from 'node:stream';

/**
 * Reads a whole DATA stream into memory (bounded by the listener's SIZE limit, which smtp-server
 * enforces: past it the bytes are drained and sizeExceeded is set). Plain 'data'/'end' listeners
 * rather than `for await`: the async iterator adds promise turns per chunk and at the end, which
 * sit between the message's last byte and its 250 (issue 10). As the iterator does, it fails on a
 * stream error and on a stream destroyed before its end.
 */
export function readStream(stream: Readable): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (err?: Error) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', done);
      stream.off('close', onClose);
      if (err) reject(err);
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    };
    const onEnd = () => done();
    const onClose = () => done(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', done);
    stream.once('close', onClose);
  });
}
