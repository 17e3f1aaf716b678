import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// A real client (imapflow, as used by many Node mail tools) against the IMAP role of the app:
// STARTTLS on the plain port, LOGIN, ENABLE, LIST with special-use, STATUS, NAMESPACE, ID, QUOTA.

describe('IMAP with imapflow', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'http,smtp,imap' });
    await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('logs in over STARTTLS and lists the mailboxes with their special uses', async () => {
    expect(t.imapPorts).toBeDefined();
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: t.imapPorts!.plain,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'joel@ifsc.edu', pass: 'joel-password' },
      logger: false,
    });
    await client.connect();
    try {
      expect(client.secureConnection).toBe(true);
      expect(client.serverInfo?.name).toBe('Correio');
      const list = await client.list({ statusQuery: { messages: true, unseen: true } });
      const byPath = new Map(list.map((m) => [m.path, m]));
      expect([...byPath.keys()].sort()).toEqual(['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
      expect(byPath.get('Sent')?.specialUse).toBe('\\Sent');
      expect(byPath.get('Trash')?.specialUse).toBe('\\Trash');
      expect(byPath.get('INBOX')?.status?.messages).toBe(0);
      const status = await client.status('INBOX', { messages: true, uidNext: true, uidValidity: true });
      expect(status).toMatchObject({ uidNext: 1, messages: 0 });
      expect(client.capabilities.has('IDLE')).toBe(true);
      const quota = await client.getQuota('INBOX');
      expect(quota).toBeTruthy();
    } finally {
      await client.logout();
    }
  });
});
