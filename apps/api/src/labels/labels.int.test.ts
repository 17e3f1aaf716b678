import type { Counts, LabelList, LabelView, MailboxList } from '@correio/contracts';
import { summarizeMessage } from '@correio/mime';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Labels are IMAP keywords: what the webmail labels, an IMAP client (imapflow, over the real IMAP
// role) sees in FETCH FLAGS, a rename is seen there with a higher MODSEQ (RFC 7162), a keyword an
// IMAP client sets is the label's, and counts follow. Another account's label is a 404.

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

describe('labels API and IMAP keywords', () => {
  let t: TestApp;
  let ana: { id: string; http: HttpClient };
  let bia: { id: string; http: HttpClient };
  let imap: ImapFlow;
  let inbox: string;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ROLES: 'http,smtp,imap' });
    const account = async (address: string) => {
      const id = (await t.directory.addAccount({ address, password: `${address}-pw` })).id;
      const http = new HttpClient(t.baseUrl);
      expect((await http.login(address, `${address}-pw`)).status).toBe(200);
      return { id, http };
    };
    ana = await account('ana@ifsc.edu');
    bia = await account('bia@ifsc.edu');
    inbox = (await ana.http.json<MailboxList>('GET', '/api/v1/mailboxes')).items.find((m) => m.specialUse === 'inbox')!.id;
    for (const n of [1, 2, 3]) {
      const raw = crlf(`From: x@example.org\nTo: ana@ifsc.edu\nSubject: m${n}\nMessage-ID: <m${n}@example.org>\n\nbody ${n}\n`);
      const [c] = await t.store.deliver({
        raw,
        summary: await summarizeMessage(raw),
        targets: [{ accountId: ana.id, mailbox: { specialUse: 'inbox' } }],
        envelopeFrom: 'x@example.org',
        flags: { seen: n === 3 },
      });
      ids.push(c!.messageId);
    }
    imap = new ImapFlow({
      host: '127.0.0.1',
      port: t.imapPorts!.plain,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'ana@ifsc.edu', pass: 'ana@ifsc.edu-pw' },
      logger: false,
    });
    await imap.connect();
    await imap.mailboxOpen('INBOX');
  });
  afterAll(async () => {
    await imap?.logout().catch(() => {});
    await t?.close();
  });

  const flagsOverImap = async () => {
    const out: Record<number, { flags: string[]; modseq: bigint }> = {};
    for await (const m of imap.fetch('1:*', { uid: true, flags: true }, { uid: true })) {
      out[m.uid] = { flags: [...(m.flags ?? [])].sort(), modseq: BigInt(m.modseq ?? 0) };
    }
    return out;
  };

  it('creates labels with IMAP keywords and refuses a second one of the same name', async () => {
    const work = await ana.http.json<LabelView>('POST', '/api/v1/labels', { name: 'Work' });
    expect(work).toMatchObject({ name: 'Work', keyword: 'Work', colour: null, total: 0, unread: 0 });
    const trip = await ana.http.json<LabelView>('POST', '/api/v1/labels', { name: 'Viagem 2027', colour: '#00aa00' });
    expect(trip.keyword).toBe('$label_viagem_2027');
    expect((await ana.http.request('POST', '/api/v1/labels', { name: 'work' })).status).toBe(409);
    expect((await ana.http.request('POST', '/api/v1/labels', { name: '' })).status).toBe(400);
  });

  it('applies a label: IMAP sees the keyword; counts follow', async () => {
    const { items } = await ana.http.json<LabelList>('GET', '/api/v1/labels');
    const trip = items.find((l) => l.name === 'Viagem 2027')!;
    const res = await ana.http.json<{ affected: number }>('POST', '/api/v1/bulk', {
      target: { ids: [ids[0], ids[2]] },
      action: { type: 'addLabel', labelId: trip.id },
    });
    expect(res.affected).toBe(2);
    const flags = await flagsOverImap();
    expect(flags[1]!.flags).toEqual(['$label_viagem_2027']);
    expect(flags[3]!.flags).toEqual(['$label_viagem_2027', '\\Seen']);
    const counts = await ana.http.json<Counts>('GET', '/api/v1/counts');
    expect(counts.labels.find((l) => l.id === trip.id)).toEqual({ id: trip.id, total: 2, unread: 1 });
    expect(counts.mailboxes.find((m) => m.id === inbox)).toEqual({ id: inbox, unread: 2 });
  });

  it('renames a label: the keyword is rewritten on its messages with a higher MODSEQ, seen over IMAP', async () => {
    const { items } = await ana.http.json<LabelList>('GET', '/api/v1/labels');
    const trip = items.find((l) => l.name === 'Viagem 2027')!;
    const before = await flagsOverImap();
    // A second IMAP client sits in IDLE: the store publishes the rename on the change bus, so it
    // hears the new keyword without asking (RFC 2177; untagged FETCH FLAGS).
    const watcher = new ImapFlow({
      host: '127.0.0.1',
      port: t.imapPorts!.plain,
      secure: false,
      doSTARTTLS: true,
      tls: { rejectUnauthorized: false },
      auth: { user: 'ana@ifsc.edu', pass: 'ana@ifsc.edu-pw' },
      logger: false,
    });
    await watcher.connect();
    await watcher.mailboxOpen('INBOX');
    const heard = new Promise<string[]>((resolve) => watcher.on('flags', (e: { flags: Set<string> }) => resolve([...e.flags])));
    void watcher.idle();
    await new Promise((r) => setTimeout(r, 200));
    const renamed = await ana.http.json<LabelView>('PATCH', `/api/v1/labels/${trip.id}`, { name: 'Trips' });
    const timeout = new Promise<string[]>((_, reject) => setTimeout(() => reject(new Error('no FETCH FLAGS in IDLE within 3 s')), 3000));
    expect(await Promise.race([heard, timeout])).toContain('Trips');
    await watcher.logout();
    expect(renamed).toMatchObject({ id: trip.id, name: 'Trips', keyword: 'Trips', colour: '#00aa00', total: 2, unread: 1 });
    await imap.noop();
    const after = await flagsOverImap();
    expect(after[1]!.flags).toEqual(['Trips']);
    expect(after[3]!.flags).toEqual(['Trips', '\\Seen']);
    expect(after[1]!.modseq).toBeGreaterThan(before[1]!.modseq);
    expect(after[2]!.modseq).toBe(before[2]!.modseq); // unlabelled: untouched
    // A colour change alone keeps the keyword and touches no message.
    await ana.http.json<LabelView>('PATCH', `/api/v1/labels/${trip.id}`, { colour: '#123456' });
    expect((await flagsOverImap())[1]!.modseq).toBe(after[1]!.modseq);
    expect((await ana.http.request('PATCH', `/api/v1/labels/${trip.id}`, { name: 'work' })).status).toBe(409);
  });

  it('a keyword set by an IMAP client is the label', async () => {
    await imap.messageFlagsAdd('2', ['work'], { uid: true });
    const { items } = await ana.http.json<LabelList>('GET', '/api/v1/labels');
    expect(items.find((l) => l.name === 'Work')).toMatchObject({ total: 1, unread: 1 });
  });

  it('deletes a label: its keyword leaves every message', async () => {
    const { items } = await ana.http.json<LabelList>('GET', '/api/v1/labels');
    const trips = items.find((l) => l.name === 'Trips')!;
    expect((await bia.http.request('DELETE', `/api/v1/labels/${trips.id}`)).status).toBe(404);
    expect((await bia.http.request('PATCH', `/api/v1/labels/${trips.id}`, { name: 'mine' })).status).toBe(404);
    expect((await ana.http.request('DELETE', `/api/v1/labels/${trips.id}`)).status).toBe(204);
    const flags = await flagsOverImap();
    expect(flags[1]!.flags).toEqual([]);
    expect(flags[3]!.flags).toEqual(['\\Seen']);
    expect((await ana.http.json<LabelList>('GET', '/api/v1/labels')).items.map((l) => l.name)).toEqual(['Work']);
    expect((await bia.http.json<LabelList>('GET', '/api/v1/labels')).items).toEqual([]);
  });
});
