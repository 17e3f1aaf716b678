/**
 * Logins over the mail protocols for the admin system test, over real sockets: the first reply
 * line that settles a login (IMAP tagged reply, POP3 +OK/-ERR, SMTP AUTH reply).
 */
import net from 'node:net';
import { SmtpTranscript } from '@correio/testing';

/** A line reader over one TCP connection. */
async function lines(port: number): Promise<{ next(): Promise<string>; send(line: string): void; close(): void }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  const queue: string[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('utf8');
    for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      const w = waiting.shift();
      if (w) w(line);
      else queue.push(line);
    }
  });
  return {
    next: () => {
      const q = queue.shift();
      return q !== undefined ? Promise.resolve(q) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (line) => socket.write(`${line}\r\n`),
    close: () => socket.destroy(),
  };
}

/** IMAP LOGIN on the plain port (loopback plain auth allowed): the tagged reply. */
export async function imapLogin(port: number, user: string, password: string): Promise<string> {
  const c = await lines(port);
  try {
    await c.next();
    c.send(`a1 LOGIN "${user}" "${password}"`);
    for (;;) {
      const line = await c.next();
      if (line.startsWith('a1 ')) return line;
    }
  } finally {
    c.close();
  }
}

/** POP3 USER/PASS on the plain port: the reply to PASS. */
export async function pop3Login(port: number, user: string, password: string): Promise<string> {
  const c = await lines(port);
  try {
    await c.next();
    c.send(`USER ${user}`);
    await c.next();
    c.send(`PASS ${password}`);
    return await c.next();
  } finally {
    c.close();
  }
}

/** Submission AUTH PLAIN (loopback plain auth allowed): the reply to AUTH. */
export async function submissionLogin(port: number, user: string, password: string): Promise<string> {
  const s = await SmtpTranscript.connect(port);
  try {
    await s.read();
    await s.command('EHLO client.example');
    return await s.command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`);
  } finally {
    s.close();
  }
}

/** One message over SMTP; returns the RCPT reply, and the reply to the data when RCPT was accepted. */
export async function smtpSend(port: number, opts: { from: string; to: string; subject: string; auth?: { user: string; password: string } }): Promise<{ rcpt: string; data?: string }> {
  const s = await SmtpTranscript.connect(port);
  try {
    await s.read();
    await s.command('EHLO client.example');
    if (opts.auth) await s.command(`AUTH PLAIN ${Buffer.from(`\0${opts.auth.user}\0${opts.auth.password}`).toString('base64')}`);
    await s.command(`MAIL FROM:<${opts.from}>`);
    const rcpt = await s.command(`RCPT TO:<${opts.to}>`);
    if (!rcpt.startsWith('250')) return { rcpt };
    await s.command('DATA');
    const data = await s.command(
      `From: <${opts.from}>\r\nTo: <${opts.to}>\r\nSubject: ${opts.subject}\r\nMessage-ID: <${Date.now()}.${Math.random()}@client.example>\r\n\r\nHello.\r\n.`,
    );
    return { rcpt, data };
  } finally {
    s.close();
  }
}
