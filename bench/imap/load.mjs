// Filling both servers with the same messages.
//
// Correio gets the corpus through its own delivery path: SMTP to its MX (a few connections,
// MAIL/RCPT/DATA pipelined per RFC 2920 when offered), exactly as mail arrives in production.
// Dovecot gets, in its Maildir, the very bytes Correio stored (the corpus message plus the trace
// headers Correio's MX added — any MTA's delivery adds its own), written the way an MDA writes them:
// LF line ends, in cur/, ",S=<size>,W=<size with CRLF>" in the name. So both servers hold and send
// the same bytes. Without Correio (--only dovecot) the corpus bytes go to the Maildir as they are.
import net from 'node:net';
import { chown, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectImap } from './client.mjs';
import { makeMessage } from './corpus.mjs';

const SENDER = 'loadgen@corpus.test';

function smtpConnection(port) {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  let buf = '';
  let pending = '';
  const waiting = [];
  const replies = [];
  let failure;
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      pending += `${line}\n`;
      if (line[3] === '-') continue;
      const whole = pending;
      pending = '';
      if (waiting.length) waiting.shift().resolve(whole);
      else replies.push(whole);
    }
  });
  const fail = (err) => {
    failure = err;
    while (waiting.length) waiting.shift().reject(err);
  };
  sock.once('error', fail);
  sock.once('close', () => fail(new Error('SMTP connection closed')));
  const reply = () =>
    replies.length ? Promise.resolve(replies.shift()) : failure ? Promise.reject(failure) : new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  const expect = async (code, what) => {
    const r = await reply();
    if (!r.startsWith(code)) throw new Error(`SMTP ${what}: ${r.trim()}`);
    return r;
  };
  let pipelining = false;
  return {
    async open() {
      await expect('220', 'greeting');
      sock.write('EHLO loadgen.corpus.test\r\n');
      pipelining = /PIPELINING/i.test(await expect('250', 'EHLO'));
    },
    /**
     * One message. Resolves with the times (performance.now()) at which the final "." was written
     * and the 250 for it arrived — the bounds of the server's COMMIT (its 250 follows the COMMIT).
     */
    async send(rcpt, raw) {
      if (pipelining) {
        sock.write(`MAIL FROM:<${SENDER}>\r\nRCPT TO:<${rcpt}>\r\nDATA\r\n`);
        await expect('250', 'MAIL');
        await expect('250', 'RCPT');
        await expect('354', 'DATA');
      } else {
        sock.write(`MAIL FROM:<${SENDER}>\r\n`);
        await expect('250', 'MAIL');
        sock.write(`RCPT TO:<${rcpt}>\r\n`);
        await expect('250', 'RCPT');
        sock.write('DATA\r\n');
        await expect('354', 'DATA');
      }
      sock.write(raw); // corpus lines never start with "." (no dot-stuffing needed)
      sock.write('.\r\n');
      const sent = performance.now();
      await expect('250', 'end of data');
      return { sent, acked: performance.now() };
    },
    async close() {
      sock.write('QUIT\r\n');
      await reply().catch(() => {});
      sock.destroy();
    },
  };
}

export { smtpConnection };

/** Delivers messages [0, count) of `profile` to `rcpt` over `connections` SMTP sessions. */
export async function deliverCorpus(port, rcpt, profile, count, { connections = 6, progress = () => {} } = {}) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    const c = smtpConnection(port);
    await c.open();
    while (next < count) {
      const i = next++;
      await c.send(rcpt, makeMessage(i, { profile, to: rcpt }));
      if (++done % 5000 === 0) progress(done);
    }
    await c.close();
  };
  await Promise.all(Array.from({ length: Math.min(connections, count) }, worker));
}

/**
 * The same corpus through IMAP instead: MULTIAPPEND batches into the user's INBOX (RFC 3502; one
 * transaction per batch on Correio's side). Much faster than SMTP on a loaded machine, where each
 * delivery to one account waits for the previous one's COMMIT; the messages then lack the MX's
 * trace headers. The search text is written by the same store path as for delivered mail.
 */
export async function appendCorpus(port, user, password, profile, count, { batch = 250, connections = 1, progress = () => {} } = {}) {
  let next = 0;
  let done = 0;
  const worker = async () => {
    const c = await connectImap(port);
    await c.login(user, password);
    await c.command('CAPABILITY');
    while (next < count) {
      const start = next;
      next = Math.min(count, start + batch);
      const messages = [];
      for (let i = start; i < next; i++) messages.push(makeMessage(i, { profile, to: user }));
      await c.multiAppend('INBOX', messages);
      const before = done;
      done += messages.length;
      if (Math.floor(done / 10000) > Math.floor(before / 10000)) progress(done);
    }
    await c.logout();
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

async function writeMaildirFile(dovecot, user, i, crlf) {
  const lf = Buffer.from(crlf.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
  // Names sort in delivery order (the time part grows with i), so Dovecot's UIDs follow Correio's.
  const name = `${1_700_000_000 + i}.M${i}P1.bench,S=${lf.length},W=${crlf.length}:2,`;
  const file = path.join(dovecot.maildir(user), 'cur', name);
  await writeFile(file, lf);
  await chown(file, dovecot.uid, dovecot.gid);
  return crlf.length;
}

/**
 * Copies an account's INBOX from Correio's store into the Dovecot user's Maildir, in UID order, in
 * batches. Returns { messages, bytes } (bytes with CRLF, what FETCH BODY[] sends).
 */
export async function copyCorreioToMaildir(sql, address, dovecot, user) {
  const { rows: acc } = await sql.query('SELECT id FROM accounts WHERE address = $1', [address]);
  const accountId = acc[0].id;
  let lastUid = 0;
  let messages = 0;
  let bytes = 0;
  for (;;) {
    const { rows } = await sql.query(
      `SELECT m.uid, b.data FROM messages m JOIN mailboxes x ON x.account_id = m.account_id AND x.id = m.mailbox_id
         JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id
        WHERE m.account_id = $1 AND x.special_use = 'inbox' AND m.uid > $2 ORDER BY m.uid LIMIT 2000`,
      [accountId, lastUid],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      bytes += await writeMaildirFile(dovecot, user, messages, r.data);
      messages++;
      lastUid = r.uid;
    }
  }
  return { messages, bytes };
}

/** Without Correio: the corpus bytes themselves into the Maildir. */
export async function writeCorpusToMaildir(dovecot, user, profile, count) {
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += await writeMaildirFile(dovecot, user, i, makeMessage(i, { profile, to: user }));
  return { messages: count, bytes };
}
