/**
 * Postfix (Debian's package) for system tests: the private-instance setup is shared with the ingest
 * benchmark and lives in bench/lib/postfix.mjs (plain ESM so `node bench/...` runs it without a
 * build); this module re-exports it with types and adds what the tests need on top.
 */
import { SmtpTranscript } from '@correio/testing';

export {
  ensurePostfix,
  freePort,
  type MaildirMessage,
  type PostfixInstance,
  postfixInstalled,
  type StartPostfixOptions,
  startPostfix,
} from '../../../bench/lib/postfix.mjs';

/**
 * Hands one message to an SMTP server (Postfix's smtpd here) the way a client would: EHLO, MAIL,
 * one RCPT per recipient, DATA with dot-stuffing, QUIT. Throws unless every step is accepted.
 * `data` uses CRLF line endings and has no terminating ".".
 */
export async function sendSmtp(port: number, envelope: { from: string; to: string[] }, data: string): Promise<string> {
  const smtp = await SmtpTranscript.connect(port);
  try {
    const expect = async (reply: Promise<string>, code: string, step: string): Promise<string> => {
      const r = await reply;
      if (!r.startsWith(code)) throw new Error(`${step}: expected ${code}, got ${r}`);
      return r;
    };
    await expect(smtp.read(), '220', 'greeting');
    await expect(smtp.command('EHLO client.postfix.test'), '250', 'EHLO');
    await expect(smtp.command(`MAIL FROM:<${envelope.from}>`), '250', 'MAIL FROM');
    for (const rcpt of envelope.to) await expect(smtp.command(`RCPT TO:<${rcpt}>`), '250', `RCPT TO:<${rcpt}>`);
    await expect(smtp.command('DATA'), '354', 'DATA');
    const stuffed = data.replace(/(^|\r\n)\./g, '$1..');
    smtp.write(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
    const queued = await expect(smtp.read(30_000), '250', 'end of DATA');
    await smtp.command('QUIT');
    return queued;
  } finally {
    smtp.close();
  }
}

/** Postfix's queue id from its "250 2.0.0 Ok: queued as ABC123" reply. */
export function queueId(reply: string): string {
  const m = /queued as ([0-9A-Za-z]+)/.exec(reply);
  if (!m) throw new Error(`no queue id in ${JSON.stringify(reply)}`);
  return m[1]!;
}
