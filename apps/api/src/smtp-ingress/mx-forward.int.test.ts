import { SmtpTranscript, code } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Aliases that forward outside: the MX queues the forward in the transaction that stores the local
// copies, before its 250 (the delivery worker is not running here, so the entries stay queued).
describe('MX alias forwards to external addresses', () => {
  let t: TestApp;
  let joelId: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' });
    joelId = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    await t.aliases.addAlias('turma@ifsc.edu', 'joel@ifsc.edu');
    await t.aliases.addAlias('turma@ifsc.edu', 'ana@gmail.example');
    await t.aliases.addAlias('ex-aluno@ifsc.edu', 'carlos@outlook.example');
  });
  afterAll(() => t.close());

  async function send(rcpts: string[], subject: string): Promise<number[]> {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    const codes = [code(await s.read()), code(await s.command('EHLO paulolopes.fr'))];
    codes.push(code(await s.command('MAIL FROM:<bruna@paulolopes.fr> RET=HDRS')));
    for (const r of rcpts) codes.push(code(await s.command(`RCPT TO:${r}`)));
    codes.push(code(await s.command('DATA')));
    s.write(`From: bruna@paulolopes.fr\r\nSubject: ${subject}\r\n\r\nOi turma!\r\n`);
    codes.push(code(await s.command('.')));
    s.close();
    return codes;
  }

  async function queued(subject: string) {
    const { rows } = await t.db.pool.query(
      `SELECT r.address, r.state, r.dsn_notify, r.dsn_orcpt, m.envelope_from, m.dsn_ret, b.data
         FROM outbound_recipients r JOIN outbound_messages m ON m.id = r.message_id
         JOIN blobs b ON b.id = m.blob_id
        WHERE position($1 in convert_from(b.data, 'UTF8')) > 0 ORDER BY r.address`,
      [`Subject: ${subject}`],
    );
    return rows as { address: string; state: string; dsn_notify: string | null; dsn_orcpt: string; envelope_from: string; dsn_ret: string | null; data: Buffer }[];
  }

  it('stores the local copy and queues the external one, keeping the sender and the DSN request', async () => {
    expect(await send(['<turma@ifsc.edu> NOTIFY=FAILURE,DELAY'], 'mixed alias')).toEqual([220, 250, 250, 250, 354, 250]);
    const inbox = (await t.store.listMailboxes(joelId)).find((b) => b.specialUse === 'inbox')!;
    const local = (await t.store.listMessages(joelId, inbox.id, 10)).filter((m) => m.subject === 'mixed alias');
    expect(local).toHaveLength(1);
    const q = await queued('mixed alias');
    expect(q.map((r) => [r.address, r.state, r.envelope_from, r.dsn_notify, r.dsn_orcpt, r.dsn_ret])).toEqual([
      ['ana@gmail.example', 'queued', 'bruna@paulolopes.fr', 'FAILURE,DELAY', 'rfc822;turma@ifsc.edu', 'HDRS'],
    ]);
    // The queued bytes are what Joel got: our trace headers on top of what was sent.
    const { raw } = await t.store.getRaw(joelId, local[0]!.id);
    expect(q[0]!.data.equals(raw)).toBe(true);
  });

  it('queues mail for an alias that only forwards (acknowledged mail is never dropped)', async () => {
    expect(await send(['<ex-aluno@ifsc.edu>'], 'forward only')).toEqual([220, 250, 250, 250, 354, 250]);
    expect((await queued('forward only')).map((r) => [r.address, r.envelope_from, r.dsn_orcpt])).toEqual([
      ['carlos@outlook.example', 'bruna@paulolopes.fr', 'rfc822;ex-aluno@ifsc.edu'],
    ]);
  });

  it('queues one forward when two aliases of the transaction share a destination', async () => {
    expect(await send(['<ex-aluno@ifsc.edu>', '<turma@ifsc.edu>'], 'both aliases')).toEqual([220, 250, 250, 250, 250, 354, 250]);
    expect((await queued('both aliases')).map((r) => r.address)).toEqual(['ana@gmail.example', 'carlos@outlook.example']);
  });
});
