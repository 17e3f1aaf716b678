import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { Pop3Wire } from '@correio/testing';

// The `pop3` role switched on in the real application (AppModule): the listeners come up with it,
// and CORREIO_POP3_MARK_READ decides whether a download marks the message read in the webmail.

async function deliverAndRetr(t: TestApp, accountId: string): Promise<boolean> {
  const raw = Buffer.from('Subject: pop me\r\n\r\nhello\r\n');
  const [copy] = await t.store.deliver({
    raw,
    summary: await summarizeMessage(raw),
    envelopeFrom: 'bruna@paulolopes.fr',
    targets: [{ accountId, mailbox: { specialUse: 'inbox' } }],
  });
  const c = await Pop3Wire.connect(t.pop3Ports!.plain);
  await c.reply();
  await c.cmd('USER joel@ifsc.edu');
  expect(await c.cmd('PASS joel-password')).toMatch(/^\+OK /);
  expect(await c.cmd('RETR 1', true)).toMatch(/^\+OK /);
  expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
  return (await t.store.getMessage(accountId, copy!.messageId)).seen;
}

describe('POP3 role', () => {
  let t: TestApp;
  let joel: string;
  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'http,smtp,pop3', CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true' });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
  });
  afterAll(() => t?.close());

  it('serves POP3 on the ports it reports', async () => {
    expect(t.pop3Ports!.plain).toBeGreaterThan(0);
    for (const [port, tls] of [[t.pop3Ports!.plain, false], [t.pop3Ports!.tls, true]] as const) {
      const c = await Pop3Wire.connect(port, { tls });
      expect(await c.reply()).toMatch(/^\+OK /);
      expect(await c.cmd('USER joel@ifsc.edu')).toBe('+OK Send PASS');
      expect(await c.cmd('PASS joel-password')).toBe('+OK Maildrop has 0 messages (0 octets)');
      expect(await c.cmd('QUIT')).toMatch(/^\+OK /);
    }
  });

  it('marks nothing read by default', async () => {
    expect(await deliverAndRetr(t, joel)).toBe(false);
  });
});

describe('POP3 role with CORREIO_POP3_MARK_READ', () => {
  let t: TestApp;
  let joel: string;
  beforeAll(async () => {
    t = await startTestApp({
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ROLES: 'http,smtp,pop3',
      CORREIO_POP3_ALLOW_PLAIN_AUTH_ON_LOOPBACK: 'true',
      CORREIO_POP3_MARK_READ: 'true',
    });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
  });
  afterAll(() => t?.close());

  it('marks a downloaded message read', async () => {
    expect(await deliverAndRetr(t, joel)).toBe(true);
  });
});
