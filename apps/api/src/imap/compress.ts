import type { Socket } from 'node:net';
import { createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';

/**
 * COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (RFC 1951, no zlib header) both ways, starting right after
 * the CRLF of the tagged OK. The compressor is piped into the socket, so the socket's backpressure
 * reaches it (pipe pauses it); the writer flushes it with Z_SYNC_FLUSH after each burst (§4).
 */
export interface CompressedStreams {
  inflate: InflateRaw;
  deflate: DeflateRaw;
}

/** A decompression bomb is bounded by the receiver's limits, which see the inflated bytes. */
export function startDeflate(socket: Socket, onData: (chunk: Buffer) => void, onError: () => void): CompressedStreams {
  const inflate = createInflateRaw();
  // Level 1 (fastest): IMAP responses compress well at any level, and the server's CPU is the
  // scarce thing (Dovecot's imap_zlib also defaults to a low level).
  const deflate = createDeflateRaw({ level: 1 });
  socket.on('data', (chunk: Buffer) => inflate.write(chunk));
  inflate.on('data', onData);
  inflate.on('error', onError);
  deflate.on('error', onError);
  deflate.pipe(socket);
  socket.once('close', () => {
    inflate.destroy();
    deflate.destroy();
  });
  return { inflate, deflate };
}
