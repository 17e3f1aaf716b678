import { type ApiProcess, SmtpTranscript, createTestDatabase, startApiProcess, testServerUrl, ImapWire } from '@correio/testing';
import { afterAll, describe, expect, it } from 'vitest';

// DESIGN invariant 6 across processes (issue 11): a session IDLEs in one API process (role imap), a
// message arrives through another process's MX (role smtp) on the same PostgreSQL, and the untagged
// EXISTS reaches the client within 1 s — through the LISTEN/NOTIFY change bus. PGlite has one owner
// process, so this runs only against a PostgreSQL server. Needs the built API (npm test builds it).

describe.skipIf(!testServerUrl())('IMAP IDLE across processes', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('pushes EXISTS for a delivery committed by another process within 1 s', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const common = { DATABASE_URL: db.url, CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu', CORREIO_ADMIN_PASSWORD: 'joel-password' };
    const imapProcess: ApiProcess = await startApiProcess({ ...common, CORREIO_ROLES: 'imap', CORREIO_IMAP_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true' });
    cleanups.push(() => imapProcess.stop());
    const mxProcess: ApiProcess = await startApiProcess({ ...common, CORREIO_ROLES: 'smtp' });
    cleanups.push(() => mxProcess.stop());
    expect(imapProcess.output()).toContain(`IMAP            127.0.0.1:${imapProcess.imapPort} (STARTTLS)`);

    const c = await ImapWire.connect(imapProcess.imapPort);
    await c.line();
    expect((await c.cmd('l LOGIN joel@ifsc.edu joel-password'))[0]).toMatch(/^l OK /);
    expect(await c.cmd('s SELECT INBOX')).toContain('* 0 EXISTS');
    c.send('i IDLE\r\n');
    expect(await c.line()).toBe('+ idling');

    for (const n of [1, 2, 3]) {
      const smtp = await SmtpTranscript.connect(mxProcess.smtpPort);
      await smtp.read();
      await smtp.command('HELO paulolopes.fr');
      await smtp.command('MAIL FROM:<bruna@paulolopes.fr>');
      expect(await smtp.command('RCPT TO:<joel@ifsc.edu>')).toMatch(/^250/);
      await smtp.command('DATA');
      smtp.write(`Subject: across processes ${n}\r\n\r\nOlá Joel\r\n`);
      expect(await smtp.command('.')).toMatch(/^250/);
      // 250 is sent after COMMIT; the other process must push within 1 s of it.
      const committed = Date.now();
      expect(await c.line()).toBe(`* ${n} EXISTS`);
      expect(Date.now() - committed).toBeLessThan(1000);
      smtp.close();
    }
    c.send('DONE\r\n');
    expect(await c.line()).toBe('i OK IDLE terminated');
  });
});
