/**
 * A scripted SMTP server standing in for the Internet's mail servers in system tests: the delivery
 * worker reaches it through CORREIO_TRANSPORT_MAP. It keeps every message it accepted (raw bytes and
 * envelope) and refuses recipients by rule, e.g. `550 5.1.1` for an address that "does not exist",
 * so a test can watch a sent message go queued → delivered or queued → bounced.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
}

export interface RemoteMx {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** A reply refusing a recipient (`{ code: 550, text: '5.1.1 …' }`), or undefined to accept it. */
export type RecipientRule = (address: string) => { code: number; text: string } | undefined;

export async function startRemoteMx(rule: RecipientRule = () => undefined): Promise<RemoteMx> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // The delivery worker's connection cache must not keep this test server from closing.
    socketTimeout: 10_000,
    onRcptTo(address: SMTPServerAddress, _session, cb) {
      const refusal = rule(address.address);
      if (!refusal) return cb();
      const err = new Error(refusal.text) as Error & { responseCode: number };
      err.responseCode = refusal.code;
      cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        cb(null, 'Ok: queued by the test MX');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
