import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailEventsService } from '../events/mail-events.service.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// NOTIFY is not durable: a change whose notification never arrives (the LISTEN connection was
// down, or the publisher died between COMMIT and pg_notify) must still reach the client — on its
// next NOOP, on entering IDLE, or when the bus says it reconnected (onResync).

describe('IMAP sessions re-check the store when a change notification was lost', () => {
  let t: TestApp;
  let imap: Awaited<ReturnType<typeof startImap>>;
  let events: MailEventsService;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
    events = t.app.get(MailEventsService);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  /** A delivery whose change is never published: what a lost NOTIFY looks like to this process. */
  async function deliverSilently(accountId: string, subject: string): Promise<void> {
    const raw = Buffer.from(`From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: ${subject}\r\n\r\nOi\r\n`);
    const publish = events.publish;
    events.publish = () => {};
    try {
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 'bruna@paulolopes.fr' });
    } finally {
      events.publish = publish;
    }
  }

  async function selectedSession(): Promise<{ c: ImapWire; accountId: string }> {
    const user = `joel-resync${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password' });
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd(`L LOGIN ${user} joel-password`)).at(-1)).toMatch(/^L OK /);
    const select = await c.cmd('S SELECT INBOX');
    expect(select).toContain('* 0 EXISTS');
    return { c, accountId: id };
  }

  it('NOOP reports a message whose notification was lost', async () => {
    const { c, accountId } = await selectedSession();
    await deliverSilently(accountId, 'lost');
    const lines = await c.cmd('N NOOP');
    expect(lines).toContain('* 1 EXISTS');
    expect(lines.at(-1)).toMatch(/^N OK /);
    await c.cmd('Z LOGOUT');
  });

  it('IDLE reports it on entry, and a bus resync reports one that arrives during IDLE', async () => {
    const { c, accountId } = await selectedSession();
    await deliverSilently(accountId, 'before idle');
    c.send('I IDLE\r\n');
    expect(await c.line()).toMatch(/^\+ /);
    expect(await c.line()).toBe('* 1 EXISTS');
    await deliverSilently(accountId, 'during idle');
    // What MailEventsService does when its LISTEN connection comes back (the IMAP side's bus).
    (imap.ctx.get(MailEventsService) as unknown as { emitResync(): void }).emitResync();
    expect(await c.line()).toBe('* 2 EXISTS');
    c.send('DONE\r\n');
    expect(await c.line()).toMatch(/^I OK /);
    await c.cmd('Z LOGOUT');
  });
});
