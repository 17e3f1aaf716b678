import { Logger } from '@nestjs/common';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import type { DnsResolver } from '../dns/dns-resolver.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { type CorreioSmtpOptions, applySmtpServerPatches } from './smtp-server-patches.js';
import { SMTP_LIMITS } from './smtp-limits.js';
import { smtpError } from './smtp-replies.js';
import { connectionsOpened } from '../metrics/metrics.js';

export interface Listener {
  name: string;
  port: number;
  close(): Promise<void>;
}

/** Per-IP connection counts shared by every SMTP listener of the process. */
export const SMTP_CONNECTION_LIMITER = Symbol('SMTP_CONNECTION_LIMITER');

type Options = SMTPServerOptions & { correio: CorreioSmtpOptions };

/**
 * Starts one smtp-server listener with the settings every Correio listener shares: limits, the
 * per-IP connection cap, reverse DNS only through the replaceable resolver (never the system's;
 * none at all when `reverse` is undefined), no library logging (we log what matters), and our
 * patches switched on.
 */
export async function startListener(
  name: string,
  bind: string,
  port: number,
  limiter: ConnectionLimiter,
  options: SMTPServerOptions & { correio: Partial<CorreioSmtpOptions> },
  reverse?: DnsResolver,
): Promise<Listener> {
  await applySmtpServerPatches();
  const logger = new Logger(name);
  const counted = new WeakSet<SMTPServerSession>();
  const onConnect = options.onConnect;
  const onClose = options.onClose;
  const merged: Options = {
    maxClients: SMTP_LIMITS.maxClients,
    socketTimeout: SMTP_LIMITS.socketTimeoutMs,
    closeTimeout: SMTP_LIMITS.closeTimeoutMs,
    disableReverseLookup: !reverse,
    // smtp-server calls resolver.reverse(ip, callback) and waits at most 1.5 s for it.
    resolver: reverse
      ? { reverse: (ip: string, cb: (err: Error | null, names?: string[]) => void) => reverse.reverse(ip).then((n) => cb(null, n), (e: Error) => cb(e)) }
      : undefined,
    logger: false,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: false,
    // REQUIRETLS (RFC 8689) binds us to refuse relaying over plaintext; the delivery worker does
    // not enforce that yet, so it is not advertised.
    hideREQUIRETLS: true,
    ...options,
    maxCommandLength: SMTP_LIMITS.maxCommandLength,
    correio: { greetingDelayMs: 0, maxSessionMs: SMTP_LIMITS.maxSessionMs, rejectBareNewlines: true, ...options.correio },
    onConnect(session, cb) {
      const ip = session.remoteAddress;
      if (!limiter.tryAcquire(ip)) return cb(smtpError(421, '4.7.0', 'Too many connections from your address, try again later'));
      counted.add(session);
      connectionsOpened.inc({ listener: name.replace(/^smtp-/, '') });
      if (onConnect) return onConnect(session, cb);
      cb();
    },
    onClose(session, server) {
      if (counted.delete(session)) limiter.release(session.remoteAddress);
      onClose?.(session, server);
    },
  } as Options;
  const server = new SMTPServer(merged);
  server.on('error', (err) => logger.warn(`connection error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bind, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
  logger.log(`listening on ${bind}:${address.port}`);
  return {
    name,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
