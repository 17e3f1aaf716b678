import { summarizeMessage } from '@correio/mime';
import { ImapWire } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCounter } from '../testing/query-counter.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

/**
 * Issue 11's guard, as mx-cost.int.test.ts is issue 10's: what each command of the mixed load
 * (bench/imap.mjs: SELECT, FETCH 20 (FLAGS ENVELOPE), FETCH 1 BODY.PEEK[], STORE, APPEND, UID STORE
 * \Deleted, EXPUNGE) sends PostgreSQL, counted exactly on every connection of the process, so a
 * change that adds a statement or a round trip to one of them fails here with no timing involved.
 * The budget is ONE statement per command, in its own autocommitted transaction: the floor while
 * every command reads or writes the store. APPEND to INBOX is the delivery statement alone once the
 * process knows the account's INBOX (ImapStoreService.findAppendTarget: INBOX can be neither deleted
 * nor renamed away); the first APPEND of a process looks it up (a second statement), as the warm-up
 * below does.
 * Not counted: the change bus's pg_notify batches (at most one per 10 ms whatever the commands,
 * events/pg-change-bus.ts). Not running: the blob reaper and the search text indexer, background
 * rounds of processes with the imap role (the app here has only smtp; IMAP is started beside it).
 */
describe('IMAP cost per command of the mixed load (statements and round trips)', () => {
  let t: TestApp;
  let imap: Awaited<ReturnType<typeof startImap>>;
  let counter: QueryCounter;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'smtp' });
    const account = (await t.directory.addAccount({ address: 'mix@ifsc.edu', password: 'mix-password' })).id;
    for (let i = 0; i < 30; i++) {
      const raw = Buffer.from(`From: S <s${i}@example.org>\r\nTo: mix@ifsc.edu\r\nSubject: message ${i}\r\nMessage-ID: <m${i}@example.org>\r\n\r\nbody ${i}\r\n`);
      await t.store.deliver({ raw, summary: await summarizeMessage(raw), targets: [{ accountId: account, mailbox: { specialUse: 'inbox' } }], envelopeFrom: 's@example.org' });
    }
    imap = await startImap(t);
    counter = QueryCounter.attachProcess((text) => text.includes('pg_notify'));
  });
  afterAll(async () => {
    counter?.detach();
    await imap?.close();
    await t?.close();
  });

  it('SELECT, FETCH, STORE, APPEND, UID STORE and EXPUNGE each cost one statement and one round trip', async () => {
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd('l LOGIN mix@ifsc.edu mix-password')).at(-1)).toMatch(/^l OK/);
    expect((await c.cmd('s0 SELECT INBOX')).at(-1)).toMatch(/^s0 OK/);
    // Delivered messages get their ENVELOPE text on their first FETCH (messages.envelope_imap, kept
    // for the next ones); APPENDed ones have it from the start. The loop's FETCHes find it kept.
    expect((await c.cmd('f0 FETCH 1:30 (FLAGS ENVELOPE)')).at(-1)).toMatch(/^f0 OK/);
    const first = 'From: a@example.org\r\nSubject: first\r\n\r\nfirst\r\n';
    expect((await c.cmd(`e0 APPEND INBOX {${first.length}+}\r\n${first}`)).at(-1)).toMatch(/^e0 OK/);

    const cost = async (line: string): Promise<{ statements: number; roundTrips: number; transactions: number; last: string }> => {
      counter.reset();
      const lines = await c.cmd(line);
      return { statements: counter.statements.length, roundTrips: counter.roundTrips, transactions: counter.transactions, last: lines.at(-1)! };
    };
    const check = (label: string, got: Awaited<ReturnType<typeof cost>>, tag: string) => {
      expect(got.last, label).toMatch(new RegExp(`^${tag} OK`));
      expect({ statements: got.statements, roundTrips: got.roundTrips, transactions: got.transactions }, `${label}: ${counter.statements.map((s) => s.text.slice(0, 60)).join(' | ')}`).toEqual({
        statements: 1,
        roundTrips: 1,
        transactions: 1,
      });
    };
    check('re-SELECT', await cost('a SELECT INBOX'), 'a');
    check('FETCH 20 (FLAGS ENVELOPE)', await cost('b FETCH 5:24 (FLAGS ENVELOPE)'), 'b');
    check('FETCH BODY.PEEK[]', await cost('c FETCH 7 BODY.PEEK[]'), 'c');
    check('STORE +FLAGS.SILENT (\\Seen)', await cost('d STORE 7 +FLAGS.SILENT (\\Seen)'), 'd');
    const msg = 'From: a@example.org\r\nSubject: appended\r\nMessage-ID: <appended@example.org>\r\n\r\nhello\r\n';
    const appended = await cost(`e APPEND INBOX {${msg.length}+}\r\n${msg}`);
    check('APPEND', appended, 'e');
    const uid = /APPENDUID \d+ (\d+)/.exec(appended.last)?.[1];
    expect(uid).toBeDefined();
    check('UID STORE +FLAGS.SILENT (\\Deleted)', await cost(`g UID STORE ${uid} +FLAGS.SILENT (\\Deleted)`), 'g');
    check('EXPUNGE', await cost('h EXPUNGE'), 'h');
    await c.cmd('z LOGOUT');
  });
});
