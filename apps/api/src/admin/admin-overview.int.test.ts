import type { AdminOverview } from '@correio/contracts';
import { freePort, SmtpTranscript } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../delivery/delivery.worker.js';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { LoginFailuresService } from '../directory/login-failures.service.js';
import { OverviewRepository } from './overview/overview.repository.js';
import { TrafficRollupRepository } from './overview/traffic-rollup.repository.js';

// The overview over real HTTP: mail received over SMTP and delivery attempts against a scripted
// remote (250 for ok.example, 451 for grey.example, 550 for bad.example) show up in the charts
// after the rollup; no statement behind it reads the messages table (EXPLAIN).

async function receive(t: TestApp, to: string): Promise<void> {
  const s = await SmtpTranscript.connect(t.smtpPort!);
  await s.read();
  await s.command('EHLO client.example');
  await s.command('MAIL FROM:<bruna@paulolopes.fr>');
  expect(await s.command(`RCPT TO:<${to}>`)).toMatch(/^250/);
  expect(await s.command('DATA')).toMatch(/^354/);
  expect(await s.command('From: bruna@paulolopes.fr\r\nSubject: hi\r\n\r\nhello\r\n.')).toMatch(/^250/);
  s.close();
}

describe('admin overview', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let admin: HttpClient;
  let joel: string;

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(address, _session, cb) {
        if (address.address.endsWith('@grey.example')) return cb(Object.assign(new Error('4.7.1 try later'), { responseCode: 451 }));
        if (address.address.endsWith('@bad.example')) return cb(Object.assign(new Error('5.1.1 no such user'), { responseCode: 550 }));
        cb();
      },
      onData(stream, _session, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu',
      CORREIO_TRANSPORT_MAP: ['ok', 'grey', 'bad'].map((d) => `${d}.example=127.0.0.1:${port}`).join(','),
    });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  it('counts received, sent, deferred and bounced from existing rows once rolled up', async () => {
    const repo = t.app.get(TrafficRollupRepository);
    // A run of the process's own rollup worker may hold the lock: then wait and run ours after it.
    const rollup = {
      async rollUp() {
        while (!(await repo.rollUp())) await new Promise((r) => setTimeout(r, 50));
      },
    };
    await rollup.rollUp();
    const empty = await admin.json<AdminOverview>('GET', '/api/v1/admin/overview');
    expect(empty.traffic.last24h).toEqual({ received: 0, sent: 0, deferred: 0, bounced: 0 });
    expect(empty.traffic.hourly).toHaveLength(24);
    expect(empty.traffic.daily).toHaveLength(30);

    await receive(t, 'joel@ifsc.edu');
    await receive(t, 'joel@ifsc.edu');
    const client = await t.db.pool.connect();
    try {
      await t.app.get(OutboundQueueService).enqueue(client, {
        accountId: joel,
        raw: Buffer.from('From: joel@ifsc.edu\r\nTo: a@ok.example\r\nSubject: out\r\n\r\nbody\r\n'),
        envelopeFrom: 'joel@ifsc.edu',
        recipients: [{ address: 'a@ok.example' }, { address: 'b@grey.example' }, { address: 'c@bad.example' }],
      });
    } finally {
      client.release();
    }
    await t.app.get(DeliveryWorker).runOnce();
    // Joel's quota set to what he uses now: 100% of it, near quota.
    const me = await admin.json<{ usedBytes: string }>('GET', '/api/v1/admin/accounts/joel@ifsc.edu');
    expect((await admin.request('PATCH', '/api/v1/admin/accounts/joel@ifsc.edu', { quotaBytes: me.usedBytes })).status).toBe(200);

    // A row is counted by the run after the one that first saw its id (see the repository).
    await rollup.rollUp();
    await rollup.rollUp();
    const o = await admin.json<AdminOverview>('GET', '/api/v1/admin/overview');
    // Received: the two over SMTP and the bounce report (RFC 3464) stored in joel's inbox.
    expect(o.traffic.last24h).toEqual({ received: 3, sent: 1, deferred: 1, bounced: 1 });
    expect(o.traffic.last30d).toEqual(o.traffic.last24h);
    expect(o.traffic.hourly.at(-1)).toMatchObject({ received: 3, sent: 1 });
    // Counted once: more runs add nothing.
    await rollup.rollUp();
    expect((await admin.json<AdminOverview>('GET', '/api/v1/admin/overview')).traffic.last24h.received).toBe(3);

    // /metrics shows the same figures, from the same rollup (loopback scrapes need no token).
    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(metrics).toContain('correio_traffic_messages{kind="received",window="24h"} 3');
    expect(metrics).toContain('correio_traffic_messages{kind="bounced",window="30d"} 1');

    expect(o.queue.depth).toBe(1);
    expect(o.queue.oldestAt).not.toBeNull();
    expect(o.storage.find((s) => s.domain === 'ifsc.edu')).toMatchObject({ accounts: 2 });
    expect(o.nearQuota.map((a) => a.address)).toEqual(['joel@ifsc.edu']);
    expect(o.roles.map((r) => [r.role, r.state])).toEqual([
      ['smtp', 'up'],
      ['submission', 'up'],
      ['imap', 'off'],
      ['pop3', 'off'],
      ['delivery', 'up'],
      ['database', 'up'],
    ]);
  });

  it('counts failed logins of the last 24 hours, written and not yet written, from every process', async () => {
    const failed = async () => (await admin.json<AdminOverview>('GET', '/api/v1/admin/overview')).failedLogins;
    const before = await failed();
    expect((await new HttpClient(t.baseUrl).login('joel@ifsc.edu', 'wrong-password')).status).toBe(401);
    // Still in this process's memory: counted at once.
    expect(await failed()).toBe(before + 1);
    // Written out (as every 30 s and at shutdown): the same figure, now from the table.
    await t.app.get(LoginFailuresService).flush();
    expect(await failed()).toBe(before + 1);
    const { rows } = await t.db.pool.query<{ n: string }>(`SELECT coalesce(sum(failures), 0)::text AS n FROM login_failures_hourly`);
    expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(1);
    // Another process's written hours count when they are within the window; older ones do not.
    const hour = 3_600_000;
    const thisHour = Math.floor(Date.now() / hour) * hour;
    await t.db.pool.query(`INSERT INTO login_failures_hourly (hour, failures) VALUES ($1, 5), ($2, 7)`, [new Date(thisHour - 23 * hour), new Date(thisHour - 24 * hour)]);
    expect(await failed()).toBe(before + 6);
  });

  it('never reads the messages table: every statement behind the overview and the rollup, EXPLAINed', async () => {
    const statements = [
      OverviewRepository.STORAGE_SQL,
      OverviewRepository.NEAR_QUOTA_SQL,
      OverviewRepository.OVERDUE_SQL,
      `SELECT hour, received, sent, deferred, bounced FROM admin_traffic_hourly WHERE hour >= now() - interval '30 days' ORDER BY hour`,
      `SELECT date_trunc('hour', created_at), count(*) FROM account_events WHERE id > 0 AND id <= 100 AND type = 'message.received' GROUP BY 1`,
      `SELECT coalesce(max(id), 0) FROM account_events`,
      `SELECT date_trunc('hour', attempted_at), count(*) FROM outbound_attempts WHERE id > 0 AND id <= 100 GROUP BY 1`,
      `SELECT count(*)::int AS depth, min(m.created_at) AS oldest FROM outbound_recipients r JOIN outbound_messages m ON m.account_id = r.account_id AND m.id = r.message_id WHERE r.state IN ('queued', 'deferred')`,
    ];
    for (const sql of statements) {
      const { rows } = await t.db.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`);
      const relations = JSON.stringify(rows[0]!['QUERY PLAN']).match(/"Relation Name":"[^"]+"/g) ?? [];
      expect(relations.length, sql).toBeGreaterThan(0);
      expect(relations.filter((r) => /"messages"|"message_text"/.test(r)), sql).toEqual([]);
    }
  });
});
