import { ImapWire } from '@correio/testing';
import { summarizeMessage } from '@correio/mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { startImap } from '../testing/imap-test-server.js';

// Mailbox commands over real sockets (RFC 9051 §6.3): LIST (RFC 5258 LIST-EXTENDED, RFC 5819
// LIST-STATUS, RFC 6154 SPECIAL-USE, CHILDREN), LSUB, CREATE (USE), DELETE, RENAME,
// SUBSCRIBE/UNSUBSCRIBE, STATUS, NAMESPACE, ID, ENABLE, QUOTA (RFC 9208); names in modified UTF-7
// until UTF8=ACCEPT.

type Imap = Awaited<ReturnType<typeof startImap>>;

describe('IMAP mailboxes', () => {
  let t: TestApp;
  let imap: Imap;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    imap = await startImap(t);
  });
  afterAll(async () => {
    await imap?.close();
    await t?.close();
  });

  async function login(options: { quotaBytes?: bigint } = {}): Promise<{ c: ImapWire; id: string }> {
    const user = `joel${++n}@ifsc.edu`;
    const { id } = await t.directory.addAccount({ address: user, password: 'joel-password', ...options });
    const c = await ImapWire.connect(imap.ports.plain);
    await c.line();
    expect((await c.cmd(`L LOGIN ${user} joel-password`))[0]).toMatch(/^L OK /);
    return { c, id };
  }

  async function deliver(accountId: string, subject: string): Promise<number> {
    const raw = Buffer.from(`From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: ${subject}\r\n\r\nOlá Joel\r\n`);
    await t.store.deliver({
      raw,
      summary: await summarizeMessage(raw),
      targets: [{ accountId, mailbox: { specialUse: 'inbox' } }],
      envelopeFrom: 'bruna@paulolopes.fr',
    });
    return raw.length;
  }

  it('LIST: the root, every mailbox with CHILDREN and special-use attributes, "%" and references', async () => {
    const { c } = await login();
    expect(await c.cmd('r LIST "" ""')).toEqual(['* LIST (\\Noselect) "/" ""', 'r OK LIST completed']);
    expect(await c.cmd('l LIST "" *')).toEqual([
      '* LIST (\\HasNoChildren) "/" "INBOX"',
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      'l OK LIST completed',
    ]);
    expect(await c.cmd('c1 CREATE Projects/2026/')).toEqual(['c1 OK CREATE completed']);
    expect(await c.cmd('c2 CREATE Projects/Old')).toEqual(['c2 OK CREATE completed']);
    expect(await c.cmd('c3 CREATE Projects')).toEqual([expect.stringMatching(/^c3 NO \[ALREADYEXISTS\] /)]);
    expect(await c.cmd('c4 CREATE inbox')).toEqual([expect.stringMatching(/^c4 NO \[ALREADYEXISTS\] /)]);
    expect(await c.cmd('c5 CREATE "a//b"')).toEqual([expect.stringMatching(/^c5 NO \[CANNOT\] /)]);
    expect(await c.cmd('p LIST "" %')).toEqual([
      '* LIST (\\HasNoChildren) "/" "INBOX"',
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasChildren) "/" "Projects"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      'p OK LIST completed',
    ]);
    expect(await c.cmd('q LIST Projects/ %')).toEqual([
      '* LIST (\\HasNoChildren) "/" "Projects/2026"',
      '* LIST (\\HasNoChildren) "/" "Projects/Old"',
      'q OK LIST completed',
    ]);
    expect(await c.cmd('i LIST "" inbox')).toEqual(['* LIST (\\HasNoChildren) "/" "INBOX"', 'i OK LIST completed']);
    expect(await c.cmd('m LIST "" (Sent Nope*)')).toEqual(['* LIST (\\HasNoChildren \\Sent) "/" "Sent"', 'm OK LIST completed']);
  });

  it('LIST-EXTENDED: SUBSCRIBED / RECURSIVEMATCH / SPECIAL-USE selections, RETURN (SUBSCRIBED CHILDREN STATUS); LSUB', async () => {
    const { c, id } = await login();
    const size = await deliver(id, 'one');
    await deliver(id, 'two');
    expect(await c.cmd('c CREATE Lists/Correio')).toEqual(['c OK CREATE completed']);
    expect(await c.cmd('s0 UNSUBSCRIBE Lists')).toEqual(['s0 OK UNSUBSCRIBE completed']);
    expect(await c.cmd('s1 SUBSCRIBE Lists/Correio')).toEqual(['s1 OK SUBSCRIBE completed']);
    expect(await c.cmd('s2 UNSUBSCRIBE Sent')).toEqual(['s2 OK UNSUBSCRIBE completed']);
    expect(await c.cmd('s3 SUBSCRIBE Nowhere')).toEqual([expect.stringMatching(/^s3 NO \[NONEXISTENT\] /)]);
    const subscribed = await c.cmd('a LIST (SUBSCRIBED) "" *');
    expect(subscribed).toContain('* LIST (\\HasNoChildren \\Subscribed) "/" "Lists/Correio"');
    expect(subscribed).toContain('* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"');
    expect(subscribed.join('\n')).not.toContain('"Sent"');
    expect(subscribed.join('\n')).not.toContain('"Lists"');
    expect(await c.cmd('b LIST (SUBSCRIBED RECURSIVEMATCH) "" %')).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
      '* LIST (\\HasNoChildren \\Subscribed \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Subscribed \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Subscribed \\Junk) "/" "Junk"',
      '* LIST (\\HasChildren) "/" "Lists" ("CHILDINFO" ("SUBSCRIBED"))',
      '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"',
      'b OK LIST completed',
    ]);
    expect(await c.cmd('d LIST (SPECIAL-USE) "" * RETURN (SPECIAL-USE)')).toEqual([
      '* LIST (\\HasNoChildren \\Archive) "/" "Archive"',
      '* LIST (\\HasNoChildren \\Drafts) "/" "Drafts"',
      '* LIST (\\HasNoChildren \\Junk) "/" "Junk"',
      '* LIST (\\HasNoChildren \\Sent) "/" "Sent"',
      '* LIST (\\HasNoChildren \\Trash) "/" "Trash"',
      'd OK LIST completed',
    ]);
    // RFC 5819: each STATUS right after its mailbox's LIST line.
    expect(await c.cmd('e LIST "" (INBOX Trash) RETURN (SUBSCRIBED STATUS (MESSAGES UNSEEN SIZE))')).toEqual([
      '* LIST (\\HasNoChildren \\Subscribed) "/" "INBOX"',
      `* STATUS "INBOX" (MESSAGES 2 UNSEEN 2 SIZE ${size * 2})`,
      '* LIST (\\HasNoChildren \\Subscribed \\Trash) "/" "Trash"',
      '* STATUS "Trash" (MESSAGES 0 UNSEEN 0 SIZE 0)',
      'e OK LIST completed',
    ]);
    expect(await c.cmd('f LSUB "" *')).toEqual([
      '* LSUB () "/" "INBOX"',
      '* LSUB () "/" "Archive"',
      '* LSUB () "/" "Drafts"',
      '* LSUB () "/" "Junk"',
      '* LSUB () "/" "Lists/Correio"',
      '* LSUB () "/" "Trash"',
      'f OK LSUB completed',
    ]);
    expect(await c.cmd('g LSUB "" Lists/%')).toEqual(['* LSUB () "/" "Lists/Correio"', 'g OK LSUB completed']);
    expect(await c.cmd('h LSUB "" %')).toContain('* LSUB (\\Noselect) "/" "Lists"');
  });

  it('CREATE (USE), RENAME with children, DELETE leaving children, INBOX rules, names in modified UTF-7 until UTF8=ACCEPT', async () => {
    const { c, id } = await login();
    await deliver(id, 'keep me');
    expect(await c.cmd('u1 CREATE Receipts (USE (\\Archive))')).toEqual(['u1 OK CREATE completed']);
    expect(await c.cmd('u2 CREATE Flagged (USE (\\Flagged))')).toEqual(['u2 NO [USEATTR] \\Flagged is not supported']);
    expect(await c.cmd('u3 LIST "" Receipts')).toEqual(['* LIST (\\HasNoChildren \\Archive) "/" "Receipts"', 'u3 OK LIST completed']);
    expect(await c.cmd('c CREATE Work/Clients')).toEqual(['c OK CREATE completed']);
    expect(await c.cmd('r RENAME Work Jobs')).toEqual(['r OK RENAME completed']);
    expect(await c.cmd('l LIST "" Jobs*')).toEqual([
      '* LIST (\\HasChildren) "/" "Jobs"',
      '* LIST (\\HasNoChildren) "/" "Jobs/Clients"',
      'l OK LIST completed',
    ]);
    expect(await c.cmd('r2 RENAME Nowhere Else')).toEqual([expect.stringMatching(/^r2 NO \[NONEXISTENT\] /)]);
    expect(await c.cmd('r3 RENAME Jobs Trash')).toEqual([expect.stringMatching(/^r3 NO \[ALREADYEXISTS\] /)]);
    expect(await c.cmd('r4 RENAME Jobs Jobs/Inside')).toEqual([expect.stringMatching(/^r4 NO \[CANNOT\] /)]);
    // RFC 9051 §6.3.6: renaming INBOX moves its messages to the new mailbox; INBOX stays, empty.
    expect(await c.cmd('r5 RENAME INBOX "Old Inbox"')).toEqual(['r5 OK RENAME completed']);
    expect(await c.cmd('s1 STATUS INBOX (MESSAGES)')).toEqual(['* STATUS "INBOX" (MESSAGES 0)', 's1 OK STATUS completed']);
    expect(await c.cmd('s2 STATUS "Old Inbox" (MESSAGES)')).toEqual(['* STATUS "Old Inbox" (MESSAGES 1)', 's2 OK STATUS completed']);
    expect(await c.cmd('d DELETE Jobs')).toEqual(['d OK DELETE completed']);
    expect(await c.cmd('l2 LIST "" Jobs*')).toEqual([
      '* LIST (\\Noselect \\HasChildren) "/" "Jobs"',
      '* LIST (\\HasNoChildren) "/" "Jobs/Clients"',
      'l2 OK LIST completed',
    ]);
    expect(await c.cmd('l3 LIST () "" Jobs')).toEqual(['* LIST (\\NonExistent \\HasChildren) "/" "Jobs"', 'l3 OK LIST completed']);
    expect(await c.cmd('d2 DELETE INBOX')).toEqual([expect.stringMatching(/^d2 NO \[CANNOT\] /)]);
    expect(await c.cmd('d3 DELETE Jobs')).toEqual([expect.stringMatching(/^d3 NO \[NONEXISTENT\] /)]);
    // RFC 3501 §5.1.3: "Café" is "Caf&AOk-" on the wire until UTF-8 is enabled (RFC 6855).
    expect(await c.cmd('m1 CREATE Caf&AOk-')).toEqual(['m1 OK CREATE completed']);
    expect(await c.cmd('m2 LIST "" Caf*')).toEqual(['* LIST (\\HasNoChildren) "/" "Caf&AOk-"', 'm2 OK LIST completed']);
    expect(await c.cmd('e ENABLE UTF8=ACCEPT')).toEqual(['* ENABLED UTF8=ACCEPT', 'e OK ENABLE completed']);
    expect(await c.cmd('m3 LIST "" Caf*')).toEqual(['* LIST (\\HasNoChildren) "/" "Café"', 'm3 OK LIST completed']);
    expect(await c.cmd('m4 STATUS "Café" (MESSAGES)')).toEqual(['* STATUS "Café" (MESSAGES 0)', 'm4 OK STATUS completed']);
  });

  // STATUS (MESSAGES UNSEEN) reads the mailbox row's kept counts; with DELETED or SIZE it counts the
  // messages. Both must agree after every kind of write, another session's included (RFC 9051 §6.3.11).
  it('STATUS MESSAGES/UNSEEN from the kept counts agree with a count of the messages after writes', async () => {
    const { c, id } = await login();
    const other = await ImapWire.connect(imap.ports.plain);
    await other.line();
    const user = (await t.db.pool.query<{ address: string }>('SELECT address FROM accounts WHERE id = $1', [id])).rows[0]!.address;
    expect((await other.cmd(`L LOGIN ${user} joel-password`))[0]).toMatch(/^L OK /);
    for (let i = 0; i < 4; i++) await deliver(id, `s${i}`);
    const agree = async (mailbox: string, messages: number, unseen: number) => {
      const kept = await c.cmd(`k STATUS ${mailbox} (MESSAGES UNSEEN)`);
      const counted = await c.cmd(`s STATUS ${mailbox} (MESSAGES UNSEEN DELETED)`);
      expect(kept[0]).toBe(`* STATUS "${mailbox}" (MESSAGES ${messages} UNSEEN ${unseen})`);
      expect(counted[0]).toMatch(new RegExp(`^\\* STATUS "${mailbox}" \\(MESSAGES ${messages} UNSEEN ${unseen} DELETED \\d+\\)$`));
    };
    await agree('INBOX', 4, 4);
    expect((await other.cmd('o1 SELECT INBOX')).at(-1)).toMatch(/^o1 OK /);
    expect((await other.cmd('o2 STORE 1:2 +FLAGS.SILENT (\\Seen)')).at(-1)).toMatch(/^o2 OK /);
    await agree('INBOX', 4, 2);
    expect((await other.cmd('o3 COPY 1,3 Archive')).at(-1)).toMatch(/^o3 OK /);
    expect((await other.cmd('o4 MOVE 4 Trash')).at(-1)).toMatch(/^o4 OK /);
    await agree('INBOX', 3, 1);
    await agree('Archive', 2, 1);
    await agree('Trash', 1, 1);
    expect((await other.cmd('o5 STORE 1 +FLAGS.SILENT (\\Deleted)')).at(-1)).toMatch(/^o5 OK /);
    expect((await other.cmd('o6 EXPUNGE')).at(-1)).toMatch(/^o6 OK /);
    expect((await other.cmd('o7 STORE 1 -FLAGS.SILENT (\\Seen)')).at(-1)).toMatch(/^o7 OK /);
    await agree('INBOX', 2, 2);
    expect((await c.cmd('n NOOP')).at(-1)).toBe('n OK NOOP completed');
    await other.cmd('o8 LOGOUT');
  });

  it('SELECT of the selected mailbox again: renamed away meanwhile (another by its name now) or deleted, the name decides', async () => {
    const { c } = await login();
    const other = await ImapWire.connect(imap.ports.plain);
    await other.line();
    expect((await other.cmd(`L LOGIN joel${n}@ifsc.edu joel-password`))[0]).toMatch(/^L OK /);
    expect(await c.cmd('c CREATE Work')).toEqual(['c OK CREATE completed']);
    expect((await c.cmd('a APPEND Work {18+}\r\nSubject: x\r\n\r\nhi\r\n')).at(-1)).toMatch(/^a OK \[APPENDUID \d+ 1\]/);
    const first = await c.cmd('s1 SELECT Work');
    expect(first).toContain('* 1 EXISTS');
    const validity = /UIDVALIDITY (\d+)/.exec(first.join('\n'))?.[1];
    // Re-SELECT while nothing changed: the same mailbox.
    const again = await c.cmd('s2 SELECT Work');
    expect(again).toEqual(
      expect.arrayContaining(['* 1 EXISTS', `* OK [UIDVALIDITY ${validity}] UIDs valid`, 's2 OK [READ-WRITE] SELECT completed']),
    );
    // Another session renames it away and creates a new, empty "Work": SELECT Work is that one.
    expect(await other.cmd('r RENAME Work Old')).toEqual(['r OK RENAME completed']);
    expect(await other.cmd('n CREATE Work')).toEqual(['n OK CREATE completed']);
    const renamed = await c.cmd('s3 SELECT Work');
    expect(renamed).toContain('* 0 EXISTS');
    expect(renamed.join('\n')).not.toContain(`UIDVALIDITY ${validity}]`);
    expect(renamed.at(-1)).toBe('s3 OK [READ-WRITE] SELECT completed');
    // Selected "Old" (the renamed one, with its message), then it is deleted: SELECT Old is NONEXISTENT.
    expect(await c.cmd('s4 SELECT Old')).toContain('* 1 EXISTS');
    expect(await other.cmd('d DELETE Old')).toEqual(['d OK DELETE completed']);
    expect((await c.cmd('s5 SELECT Old')).at(-1)).toMatch(/^s5 NO \[NONEXISTENT\] /);
    await other.cmd('o LOGOUT');
    await c.cmd('o LOGOUT');
  });

  it('STATUS with every item; ENABLE; ID; NAMESPACE; QUOTA from the account quota', async () => {
    const { c, id } = await login({ quotaBytes: 10n * 1024n * 1024n });
    const size = await deliver(id, 'one');
    expect(await c.cmd('e1 ENABLE CONDSTORE QRESYNC X-UNKNOWN')).toEqual(['* ENABLED CONDSTORE QRESYNC', 'e1 OK ENABLE completed']);
    const status = await c.cmd('s STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ APPENDLIMIT)');
    expect(status).toEqual([
      expect.stringMatching(
        new RegExp(
          `^\\* STATUS "INBOX" \\(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \\d+ UNSEEN 1 DELETED 0 SIZE ${size} RECENT 0 HIGHESTMODSEQ \\d+ APPENDLIMIT \\d+\\)$`,
        ),
      ),
      's OK STATUS completed',
    ]);
    expect(await c.cmd('s2 STATUS Nowhere (MESSAGES)')).toEqual(['s2 NO [NONEXISTENT] No such mailbox']);
    expect(await c.cmd('e2 ENABLE QRESYNC IMAP4rev2')).toEqual(['* ENABLED IMAP4rev2', 'e2 OK ENABLE completed']);
    expect(await c.cmd('i ID ("name" "Thunderbird" "version" "128.0")')).toEqual([
      expect.stringMatching(/^\* ID \("name" "Correio" "version" "\d+\.\d+\.\d+"\)$/),
      'i OK ID completed',
    ]);
    expect(await c.cmd('n NAMESPACE')).toEqual(['* NAMESPACE (("" "/")) NIL NIL', 'n OK NAMESPACE completed']);
    expect(await c.cmd('q1 GETQUOTAROOT INBOX')).toEqual([
      '* QUOTAROOT "INBOX" ""',
      `* QUOTA "" (STORAGE ${Math.ceil(size / 1024)} 10240)`,
      'q1 OK GETQUOTAROOT completed',
    ]);
    expect(await c.cmd('q2 GETQUOTA ""')).toEqual([`* QUOTA "" (STORAGE ${Math.ceil(size / 1024)} 10240)`, 'q2 OK GETQUOTA completed']);
    expect(await c.cmd('q3 GETQUOTA "other"')).toEqual(['q3 NO [NONEXISTENT] No such quota root']);
    expect(await c.cmd('q4 GETQUOTAROOT Nowhere')).toEqual(['q4 NO [NONEXISTENT] No such mailbox']);
    expect(await c.cmd('q5 SETQUOTA "" (STORAGE 1)')).toEqual(['q5 NO [NOPERM] Quotas are set by the administrator']);
    // An account without a quota has no limited resource (RFC 9208 §5: only limited ones are listed).
    const free = await login();
    expect(await free.c.cmd('q6 GETQUOTA ""')).toEqual(['* QUOTA "" ()', 'q6 OK GETQUOTA completed']);
  });
});
