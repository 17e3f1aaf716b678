import { SmtpTranscript, code } from '@correio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// DESIGN invariant 1 under failure: with the database unreachable the MX answers 451 4.3.0 (never
// 250), and once the database is back it accepts mail again without a restart.

describe('MX while the database is unreachable', () => {
  let t: TestApp;
  let joel: string;

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu' }, { dbProxy: true });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    await t.directory.addAccount({ address: 'ana@ifsc.edu', password: 'ana-password' });
  });
  afterAll(() => t.close());

  async function transaction(opts: { cutBeforeData?: boolean; to?: string } = {}): Promise<{ rcpt: string; data?: string }> {
    const s = await SmtpTranscript.connect(t.smtpPort!);
    await s.read();
    await s.command('EHLO outage.test');
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    const rcpt = await s.command(`RCPT TO:<${opts.to ?? 'joel@ifsc.edu'}>`);
    if (code(rcpt) !== 250) {
      s.close();
      return { rcpt };
    }
    if (opts.cutBeforeData) await t.dbProxy!.cut();
    await s.command('DATA');
    s.write('Subject: during an outage\r\n\r\nhello\r\n');
    const data = await s.command('.');
    s.close();
    return { rcpt, data };
  }

  const count = async () => {
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE account_id = $1', [joel]);
    return rows[0]!.n;
  };

  it('answers 451 4.3.0 at DATA when the database goes away mid-transaction, and stores nothing', async () => {
    const r = await transaction({ cutBeforeData: true });
    expect(r.rcpt).toMatch(/^250/);
    expect(r.data).toMatch(/^451 4\.3\.0 /);
    const health = await fetch(`${t.baseUrl}/api/health`);
    expect(health.status).toBe(503);
    await t.dbProxy!.restore();
    expect(await count()).toBe(0);
  });

  it('answers 451 4.3.0 at RCPT while the database is down, for a recipient it must look up', async () => {
    await t.dbProxy!.cut();
    try {
      const r = await transaction({ to: 'ana@ifsc.edu' });
      expect(r.rcpt).toMatch(/^451 4\.3\.0 /);
    } finally {
      await t.dbProxy!.restore();
    }
  });

  it('never answers 250 to DATA while the database is down, even for a recipient in the cache', async () => {
    // One delivery with the database up puts joel@ in the recipient cache (and stores one message).
    expect((await transaction()).data).toMatch(/^250 /);
    await t.dbProxy!.cut();
    try {
      // RCPT may come from the cache (250), or be looked up (451) once the lost connection of the
      // directory's change listener has dropped the cache (real PostgreSQL); either way the store
      // cannot commit, so the message is refused.
      const r = await transaction();
      expect(r.rcpt).toMatch(/^(250|451 4\.3\.0) /);
      if (code(r.rcpt) === 250) expect(r.data).toMatch(/^451 4\.3\.0 /);
    } finally {
      await t.dbProxy!.restore();
    }
  });

  it('recovers by itself when the database is back', async () => {
    const r = await transaction();
    expect(r.rcpt).toMatch(/^250/);
    expect(r.data).toMatch(/^250 /);
    expect(await count()).toBe(2); // this one and the one before the cut

    expect((await fetch(`${t.baseUrl}/api/health`)).status).toBe(200);
  });
});
