import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpSender } from './smtp-sender.js';

// Session reuse per route (Postfix's connection cache) against a real SMTP server: one connection
// for consecutive messages, a fresh one after any refusal, one more try on a new connection only
// when a parked session died before a byte of the transaction went out, and never a second copy.

interface Receiver {
  port: number;
  connections: number;
  messages: string[];
  /** BODY= of each MAIL FROM (smtp-server: envelope.bodyType). */
  bodies: string[];
  /** Recipients refused with 550. */
  refuse: Set<string>;
  /** Drop the connection after reading the message, before answering it. */
  dropAfterData: boolean;
  server: SMTPServer;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const port = await freePort();
  const r = { port, connections: 0, messages: [] as string[], bodies: [] as string[], refuse: new Set<string>(), dropAfterData: false } as Receiver;
  r.server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onConnect(_session, cb) {
      r.connections++;
      cb();
    },
    onRcptTo(address, _session, cb) {
      if (r.refuse.has(address.address)) return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      r.bodies.push((session.envelope as { bodyType?: string }).bodyType ?? '');
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        r.messages.push(Buffer.concat(chunks).toString());
        if (r.dropAfterData) {
          for (const c of (r.server as unknown as { connections: Set<{ _socket: { destroy(): void } }> }).connections) c._socket.destroy();
          return;
        }
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => r.server.listen(port, '127.0.0.1', resolve));
  r.close = () => new Promise<void>((resolve) => r.server.close(() => resolve()));
  return r;
}

const message = (n: number) => Buffer.from(`Subject: ${n}\r\n\r\nbody ${n}\r\n`);

describe('SmtpSender (session reuse)', () => {

  let receiver: Receiver | undefined;
  let sender: SmtpSender | undefined;
  afterEach(async () => {
    sender?.closeAll();
    await receiver?.close();
  });

  it('declares 8-bit content with BODY=8BITMIME to a receiver that offers it (RFC 6152), and 7-bit content not', async () => {
    receiver = await startReceiver();
    sender = new SmtpSender();
    const route = { host: '127.0.0.1', port: receiver.port };
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], Buffer.from('Subject: oi\r\n\r\nolá\r\n'));
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(1));
    expect(receiver.bodies).toEqual(['8bitmime', '7bit']);
  });

  it('sends consecutive messages on one connection, and opens a new one after a refusal', async () => {
    receiver = await startReceiver();
    sender = new SmtpSender();
    const route = { host: '127.0.0.1', port: receiver.port };
    for (let n = 0; n < 5; n++) {
      const out = await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(n));
      expect(out).toMatchObject([{ status: 'delivered', remoteHost: '127.0.0.1' }]);
    }
    expect(receiver.connections).toBe(1);
    receiver.refuse.add('gone@example.net');
    const refused = await sender.send(route, 'mx.test', 'a@example.org', ['gone@example.net', 'b@example.net'], message(5));
    expect(refused.map((o) => o.status)).toEqual(['permanent', 'delivered']);
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(6));
    expect(receiver.connections).toBe(2);
    expect(receiver.messages).toHaveLength(7);
  });

  it('closes a session after its message limit and after the idle time', async () => {
    receiver = await startReceiver();
    sender = new SmtpSender({ maxMessagesPerConnection: 2, idleMs: 200 });
    const route = { host: '127.0.0.1', port: receiver.port };
    for (let n = 0; n < 4; n++) await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(n));
    expect(receiver.connections).toBe(2);
    await new Promise((r) => setTimeout(r, 400));
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(4));
    expect(receiver.connections).toBe(3);
  });

  it('uses a new connection when the parked one died before anything was written', async () => {
    receiver = await startReceiver();
    sender = new SmtpSender();
    const route = { host: '127.0.0.1', port: receiver.port };
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(0));
    // The parked session's socket dies right before the next transaction starts on it.
    const parked = [...(sender as unknown as { idle: Map<string, { conn: { _socket: { destroy(): void } } }[]> }).idle.values()][0]![0]!;
    parked.conn._socket.destroy();
    const out = await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(1));
    expect(out).toMatchObject([{ status: 'delivered' }]);
    expect(receiver.connections).toBe(2);
    expect(receiver.messages).toHaveLength(2);
  });

  it('never sends again once the message went out: a connection lost after DATA is a deferral', async () => {
    receiver = await startReceiver();
    sender = new SmtpSender();
    const route = { host: '127.0.0.1', port: receiver.port };
    await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(0));
    receiver.dropAfterData = true;
    const out = await sender.send(route, 'mx.test', 'a@example.org', ['b@example.net'], message(1));
    expect(out).toMatchObject([{ status: 'temporary' }]);
    expect(receiver.messages).toHaveLength(2); // the receiver read it once; no second try
    expect(receiver.connections).toBe(1);
  });
});
