import type { FilterRequest } from '@correio/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { findCopies, queuedWith, sendToMx } from './rules-test-helpers.js';

// Issue 15 at the delivery path: each filter condition and action, blocked and allowed senders and
// vacation replies, through the real MX into the real store (the delivery worker is off: queued
// forwards and replies stay in the queue to be inspected).
describe('mail rules at delivery', () => {
  let t: TestApp;
  let me: string;
  const http = () => new HttpClient(t.baseUrl);
  let api: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'here.test', CORREIO_SRS_SECRET: 'a-test-secret-of-enough-length' });
    me = (await t.directory.addAccount({ address: 'me@here.test', password: 'me-password' })).id;
    await t.aliases.addAlias('alias@here.test', 'me@here.test');
    api = http();
    expect((await api.login('me@here.test', 'me-password')).status).toBe(200);
    await api.json('POST', '/api/v1/mailboxes', { name: 'Sorted' });
  });
  afterAll(() => t.close());

  async function onlyFilter(f: Partial<FilterRequest> & Pick<FilterRequest, 'conditions' | 'actions'>) {
    await api.json('PUT', '/api/v1/filters/sieve', { script: '' });
    await api.json('POST', '/api/v1/filters', { name: 'f', ...f });
  }
  let n = 0;
  const send = async (m: {
    from?: string;
    to?: readonly string[];
    headerTo?: string;
    headers?: string;
    body?: string;
    subject?: string;
  }) => {
    const subject = m.subject ?? `message ${++n}`;
    expect(
      await sendToMx(t.smtpPort!, {
        from: m.from ?? 'bob@remote.example',
        to: m.to ?? ['me@here.test'],
        headerTo: m.headerTo,
        headers: m.headers,
        body: m.body,
        subject,
      }),
    ).toEqual([220, 250, 250, ...(m.to ?? ['x']).map(() => 250), 354, 250]);
    return findCopies(t, me, subject);
  };

  const attachment = [
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
    '--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--',
  ];
  it.each([
    ['from contains', { field: 'from', op: 'contains', value: 'carol@' }, { from: 'carol@remote.example' }, { from: 'bob@remote.example' }],
    ['from matches', { field: 'from', op: 'matches', value: '*@*.example' }, { from: 'x@remote.example' }, { from: 'x@remote.test' }],
    ['to/cc is', { field: 'toCc', op: 'is', value: 'alias@here.test' }, { to: ['alias@here.test'] }, { to: ['me@here.test'] }],
    [
      'subject contains',
      { field: 'subject', op: 'contains', value: '[invoice]' },
      { subject: 'Your [Invoice] 12' },
      { subject: 'Your receipt' },
    ],
    [
      'any header is',
      { field: 'header', name: 'X-Mailer', op: 'is', value: 'Robot 1.0' },
      { headers: 'X-Mailer: robot 1.0\r\n' },
      { headers: 'X-Mailer: Human\r\n' },
    ],
    ['size over', { field: 'size', op: 'over', value: 4000 }, { body: 'x'.repeat(5000) }, { body: 'short' }],
    ['size under', { field: 'size', op: 'under', value: 4000 }, { body: 'short' }, { body: 'x'.repeat(5000) }],
    ['has attachment', { field: 'hasAttachment' }, { headers: attachment[0], body: attachment[1] }, { body: 'no files' }],
  ] as const)('condition %s: the matching message is moved, the other stays in INBOX', async (_name, condition, yes, no) => {
    await onlyFilter({ conditions: [condition as never], actions: [{ kind: 'move', folder: 'Sorted' }] });
    expect((await send({ subject: `${_name} yes`, ...yes })).map((c) => c.mailbox)).toEqual(['Sorted']);
    expect((await send({ subject: `${_name} no`, ...no })).map((c) => c.mailbox)).toEqual(['inbox']);
  });

  it('all needs every condition, any needs one', async () => {
    const conditions = [
      { field: 'from', op: 'contains', value: 'carol' },
      { field: 'subject', op: 'contains', value: 'report' },
    ] as const;
    await onlyFilter({ match: 'all', conditions: [...conditions], actions: [{ kind: 'star' }] });
    expect((await send({ from: 'carol@remote.example', subject: 'all: other' }))[0]!.flagged).toBe(false);
    expect((await send({ from: 'carol@remote.example', subject: 'all: report' }))[0]!.flagged).toBe(true);
    await onlyFilter({ match: 'any', conditions: [...conditions], actions: [{ kind: 'star' }] });
    expect((await send({ from: 'dan@remote.example', subject: 'any: report' }))[0]!.flagged).toBe(true);
  });

  it('actions: move, label, mark read, star in one insert; delete → Trash; forward queued with SRS; stop', async () => {
    await api.json('PUT', '/api/v1/filters/sieve', { script: '' });
    await api.json('POST', '/api/v1/filters', {
      name: 'everything',
      conditions: [{ field: 'subject', op: 'contains', value: 'act-all' }],
      actions: [
        { kind: 'move', folder: 'sorted' },
        { kind: 'label', label: '$label_work' },
        { kind: 'markRead' },
        { kind: 'star' },
        { kind: 'forward', address: 'me@elsewhere.example' },
        { kind: 'stop' },
      ],
    });
    await api.json('POST', '/api/v1/filters', { name: 'after stop', conditions: [], actions: [{ kind: 'label', label: 'late' }] });
    await api.json('POST', '/api/v1/filters', {
      name: 'bin',
      conditions: [{ field: 'subject', op: 'is', value: 'act-delete' }],
      actions: [{ kind: 'delete' }],
    });
    expect(await send({ subject: 'act-all' })).toEqual([{ mailbox: 'Sorted', seen: true, flagged: true, keywords: ['$label_work'] }]);
    const fw = await queuedWith(t, 'Subject: act-all');
    expect(fw.map((r) => r.address)).toEqual(['me@elsewhere.example']);
    expect(fw[0]!.envelopeFrom).toMatch(/^SRS0=[^=]{4}=[A-Z2-7]{2}=remote\.example=bob@here\.test$/);
    expect(fw[0]!.data).toMatch(/^(ARC-|DKIM-)[\s\S]*\r\nDelivered-To: me@here\.test\r\n/);
    expect(fw[0]!.data).toMatch(/ARC-Seal: i=1; a=rsa-sha256; .*cv=none/);
    expect(await send({ subject: 'act-delete' })).toEqual([{ mailbox: 'trash', seen: false, flagged: false, keywords: ['late'] }]);
  });

  it('mail a local colleague sends (webmail, no undo window) is filtered and answered by vacation like mail from outside', async () => {
    await t.directory.addAccount({ address: 'colleague@here.test', password: 'colleague-password' });
    const colleague = http();
    expect((await colleague.login('colleague@here.test', 'colleague-password')).status).toBe(200);
    await colleague.json('PATCH', '/api/v1/compose/settings', { undoSendSeconds: 0 });
    await onlyFilter({ conditions: [{ field: 'from', op: 'contains', value: 'colleague@' }], actions: [{ kind: 'move', folder: 'Sorted' }, { kind: 'star' }] });
    await api.json('PUT', '/api/v1/vacation', { enabled: true, subject: '', message: 'I am away.', days: 7 });
    try {
      const res = await colleague.request('POST', '/api/v1/messages/send', { to: ['me@here.test'], subject: 'local colleague', text: 'oi' });
      expect(res.status).toBe(201);
      expect(await findCopies(t, me, 'local colleague')).toEqual([{ mailbox: 'Sorted', seen: false, flagged: true, keywords: [] }]);
      const replies = await queuedWith(t, 'Subject: Auto: local colleague');
      expect(replies.map((r) => [r.address, r.envelopeFrom])).toEqual([['colleague@here.test', '']]);
    } finally {
      await api.json('PUT', '/api/v1/vacation', { enabled: false, subject: '', message: 'I am away.', days: 7 });
    }
  });

  it('blocked senders go to Junk (address or domain), an allowed one never does', async () => {
    await onlyFilter({ conditions: [{ field: 'subject', op: 'contains', value: 'junky' }], actions: [{ kind: 'move', folder: 'Junk' }] });
    await api.json('POST', '/api/v1/senders', { kind: 'block', pattern: 'spam.example' });
    await api.json('POST', '/api/v1/senders', { kind: 'allow', pattern: 'friend@spam.example' });
    await api.json('POST', '/api/v1/senders', { kind: 'allow', pattern: 'pal@remote.example' });
    expect((await send({ from: 'x@mail.spam.example', subject: 'blocked domain' })).map((c) => c.mailbox)).toEqual(['junk']);
    expect((await send({ from: 'friend@spam.example', subject: 'allowed in blocked domain' })).map((c) => c.mailbox)).toEqual(['inbox']);
    expect((await send({ from: 'pal@remote.example', subject: 'junky but allowed' })).map((c) => c.mailbox)).toEqual(['inbox']);
    expect((await send({ from: 'other@remote.example', subject: 'junky filtered' })).map((c) => c.mailbox)).toEqual(['junk']);
    const list = await api.json<{ items: { id: string; pattern: string }[] }>('GET', '/api/v1/senders');
    for (const s of list.items) expect((await api.request('DELETE', `/api/v1/senders/${s.id}`)).status).toBe(204);
  });

  it('a filter naming a folder that was removed since leaves the mail in INBOX (never refused)', async () => {
    const box = await api.json<{ id: string }>('POST', '/api/v1/mailboxes', { name: 'Temporary' });
    await onlyFilter({ conditions: [], actions: [{ kind: 'move', folder: 'Temporary' }] });
    expect((await send({ subject: 'to temporary' })).map((c) => c.mailbox)).toEqual(['Temporary']);
    expect((await api.request('DELETE', `/api/v1/mailboxes/${box.id}`)).status).toBeLessThan(300);
    expect((await send({ subject: 'after removal' })).map((c) => c.mailbox)).toEqual(['inbox']);
    await api.json('PUT', '/api/v1/filters/sieve', { script: '' });
  });

  describe('vacation responder', () => {
    beforeEach(async () => {
      await api.json('PUT', '/api/v1/filters/sieve', { script: '' });
      await api.json('PUT', '/api/v1/vacation', { enabled: true, subject: '', message: 'I am away.', days: 7 });
    });
    const replies = (to: string) =>
      t.db.pool
        .query(
          `SELECT r.address, m.envelope_from, convert_from(b.data, 'UTF8') AS data FROM outbound_recipients r JOIN outbound_messages m ON m.id = r.message_id JOIN blobs b ON b.id = m.blob_id WHERE r.address = $1`,
          [to],
        )
        .then((r) => r.rows as { envelope_from: string; data: string }[]);

    it.each([
      ['a person', { from: 'ann@remote.example' }, 1],
      ['the null sender', { from: '' }, 0],
      ['a list (List-Id)', { from: 'list1@remote.example', headers: 'List-Id: <dev.remote.example>\r\n' }, 0],
      ['Precedence: bulk', { from: 'bulk1@remote.example', headers: 'Precedence: bulk\r\n' }, 0],
      ['Precedence: junk', { from: 'junk1@remote.example', headers: 'Precedence: junk\r\n' }, 0],
      ['Auto-Submitted: auto-replied', { from: 'auto1@remote.example', headers: 'Auto-Submitted: auto-replied\r\n' }, 0],
      ['Auto-Submitted: no', { from: 'human2@remote.example', headers: 'Auto-Submitted: no\r\n' }, 1],
      ['my own address', { from: 'me@here.test' }, 0],
      ['my alias', { from: 'alias@here.test' }, 0],
      ['not addressed to me (a Bcc copy)', { from: 'bcc1@remote.example', headerTo: 'someone@remote.example' }, 0],
    ] as const)('%s → %s reply(ies)', async (_name, m, count) => {
      const subject = `vacation ${_name}`;
      await send({ ...m, subject });
      const sender = m.from || 'mailer-daemon@remote.example';
      const got = m.from ? await replies(sender) : await queuedWith(t, `Subject: Auto: ${subject}`);
      expect(got).toHaveLength(count);
      if (count === 1) {
        const r = got[0] as { envelope_from: string; data: string };
        expect(r.envelope_from).toBe('');
        expect(r.data).toMatch(/^Auto-Submitted: auto-replied\r\n/m);
        expect(r.data).toMatch(new RegExp(`^Subject: Auto: ${subject}`, 'm'));
        expect(r.data).toMatch(/^In-Reply-To: <[^>]+@remote\.example>/m);
        expect(r.data).toMatch(/^References: <[^>]+@remote\.example>/m);
        expect(r.data).toMatch(/I am away\./);
      }
    });

    it('answers a sender once per window, again after it', async () => {
      await send({ from: 'once@remote.example', subject: 'first' });
      await send({ from: 'once@remote.example', subject: 'second' });
      expect(await replies('once@remote.example')).toHaveLength(1);
      await t.db.pool.query(`UPDATE vacation_replies SET replied_at = now() - interval '8 days' WHERE sender = 'once@remote.example'`);
      await send({ from: 'once@remote.example', subject: 'third' });
      expect(await replies('once@remote.example')).toHaveLength(2);
    });

    it('only between its dates; off means off', async () => {
      await api.json('PUT', '/api/v1/vacation', {
        enabled: true,
        message: 'later',
        startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      await send({ from: 'early@remote.example' });
      expect(await replies('early@remote.example')).toHaveLength(0);
      await api.json('PUT', '/api/v1/vacation', { enabled: false, message: 'x' });
      await send({ from: 'off@remote.example' });
      expect(await replies('off@remote.example')).toHaveLength(0);
    });
  });
});
