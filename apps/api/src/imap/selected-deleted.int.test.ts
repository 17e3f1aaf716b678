import { ImapWire } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// RFC 9051 §6.3.9 / §7.1.5: a mailbox another session deletes while this one has it selected —
// this session is told the messages are gone and then ends with BYE, not left "selected" in a
// mailbox that no longer exists.

describe('IMAP: the selected mailbox deleted by another session', () => {
  let t: TestApp;
  let imap: Awaited<ReturnType<typeof startImap>>;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
    await t.directory.addAccount({ address: 'gone@ifsc.edu', password: 'joel-password' });
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function session(): Promise<ImapWire> {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd('L LOGIN gone@ifsc.edu joel-password')).at(-1)).toMatch(/^L OK /);
    return c;
  }

  it('EXPUNGEs, the tagged answer, then BYE and the connection closes', async () => {
    const a = await session();
    const b = await session();
    expect((await b.cmd('c CREATE Projects')).at(-1)).toBe('c OK CREATE completed');
    const message = 'Subject: x\r\n\r\nbody\r\n';
    b.send(`p APPEND Projects {${message.length}}\r\n`);
    expect(await b.line()).toMatch(/^\+ /);
    b.send(`${message}\r\n`);
    expect(await b.until('p')).toEqual([expect.stringMatching(/^p OK \[APPENDUID \d+ 1\] /)]);
    expect((await a.cmd('s SELECT Projects')).at(-1)).toBe('s OK [READ-WRITE] SELECT completed');
    expect((await b.cmd('d DELETE Projects')).at(-1)).toBe('d OK DELETE completed');
    await new Promise((r) => setTimeout(r, 100)); // the change bus
    const lines = await a.cmd('n NOOP');
    expect(lines).toEqual(['* 1 EXPUNGE', 'n OK NOOP completed']);
    expect(await a.line()).toBe('* BYE Selected mailbox was deleted, have to disconnect');
    expect(await a.line()).toBe('(closed)');
    await b.cmd('z LOGOUT');
  });
});
