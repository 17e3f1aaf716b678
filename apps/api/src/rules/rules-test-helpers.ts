import { SmtpTranscript, code } from '@correio/testing';
import type { TestApp } from '../testing/test-app.js';

/** Test helpers for the mail-rules integration tests (not product code). */

/** Sends one message to the MX over a real socket; returns the reply codes. */
export async function sendToMx(
  port: number,
  m: { from: string; to: readonly string[]; headerTo?: string; headers?: string; subject: string; body?: string },
): Promise<number[]> {
  const s = await SmtpTranscript.connect(port);
  const codes = [code(await s.read()), code(await s.command('EHLO client.example'))];
  codes.push(code(await s.command(`MAIL FROM:<${m.from}>`)));
  for (const r of m.to) codes.push(code(await s.command(`RCPT TO:<${r}>`)));
  codes.push(code(await s.command('DATA')));
  const from = m.from || 'mailer-daemon@remote.example';
  s.write(
    `From: ${from}\r\nTo: ${m.headerTo ?? m.to.join(', ')}\r\nSubject: ${m.subject}\r\nMessage-ID: <${Math.random().toString(36).slice(2)}@remote.example>\r\n${m.headers ?? ''}\r\n${m.body ?? 'Hello.'}\r\n`,
  );
  codes.push(code(await s.command('.')));
  s.close();
  return codes;
}

/** Where the message with this subject is: mailbox special use (or name), flags and keywords. */
export async function findCopies(t: TestApp, accountId: string, subject: string) {
  const boxes = await t.store.listMailboxes(accountId);
  const out: { mailbox: string; seen: boolean; flagged: boolean; keywords: string[] }[] = [];
  for (const b of boxes) {
    for (const m of await t.store.listMessages(accountId, b.id, 200)) {
      if (m.subject === subject) out.push({ mailbox: b.specialUse ?? b.name, seen: m.seen, flagged: m.flagged, keywords: m.keywords });
    }
  }
  return out;
}

/** Queued outbound recipients whose bytes contain `text`. */
export async function queuedWith(t: TestApp, text: string) {
  const { rows } = await t.db.pool.query(
    `SELECT r.address, r.state, m.envelope_from AS "envelopeFrom", convert_from(b.data, 'UTF8') AS data
       FROM outbound_recipients r JOIN outbound_messages m ON m.id = r.message_id JOIN blobs b ON b.id = m.blob_id
      WHERE position($1 in convert_from(b.data, 'UTF8')) > 0 ORDER BY r.id`,
    [text],
  );
  return rows as { address: string; state: string; envelopeFrom: string; data: string }[];
}

export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
