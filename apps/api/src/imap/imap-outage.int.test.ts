import { ImapWire } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// Internal errors never reach the wire (issue 11 "Limits"): with the database unreachable, commands
// answer NO [UNAVAILABLE] with a fixed text (RFC 5530), the session survives, and works again once
// the database is back.

describe('IMAP while the database is unreachable', () => {
  let t: TestApp;
  let imap: Awaited<ReturnType<typeof startImap>>;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' }, { dbProxy: true });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  it('answers NO [UNAVAILABLE] without leaking the cause, and recovers', async () => {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd('l LOGIN joel@ifsc.edu joel-password'))[0]).toMatch(/^l OK /);
    await t.dbProxy!.cut();
    try {
      expect(await c.cmd('a LIST "" *')).toEqual(['a NO [UNAVAILABLE] Temporarily unavailable, try again later']);
      expect(await c.cmd('b STATUS INBOX (MESSAGES)')).toEqual(['b NO [UNAVAILABLE] Temporarily unavailable, try again later']);
      const d = await ImapWire.connect(imap.ports.plain);
      await d.line();
      // Prisma's "can't reach" is not one of isDatabaseUnavailable's codes: the generic text, same code.
      expect(await d.cmd('l LOGIN joel@ifsc.edu joel-password')).toEqual([expect.stringMatching(/^l NO \[UNAVAILABLE\] (Authentication temporarily unavailable|Temporary server error, try again later)$/)]);
      expect(await c.cmd('n NOOP')).toEqual(['n OK NOOP completed']);
    } finally {
      await t.dbProxy!.restore();
    }
    expect((await c.cmd('r LIST "" INBOX'))).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"', 'r OK LIST completed']);
  });
});
