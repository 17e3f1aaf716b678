import { withTransaction } from '@correio/db';
import { Reflector } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';
import { AdminModule } from './admin.module.js';
import { AUDIT_ACTION, type AuditSpec } from './audit/audited.decorator.js';

// Every @Audited admin action and its admin_audit entry commit in ONE transaction: both or neither.
// The audit insert is made to fail for real, by a trigger in this test's database (no mocks): the
// action must then change nothing and answer a clear 503; allowed again, the same request succeeds
// and writes exactly one entry whose xmin (the inserting transaction) is the changed row's xmin.

/** A switch the trigger reads: while `refuse` is true every INSERT into admin_audit fails. */
const REFUSE_AUDIT_SQL = `
  CREATE TABLE test_audit_switch (refuse boolean NOT NULL);
  INSERT INTO test_audit_switch VALUES (false);
  CREATE FUNCTION test_refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF (SELECT refuse FROM test_audit_switch) THEN RAISE EXCEPTION 'admin_audit refused by the test'; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER test_refuse_audit BEFORE INSERT ON admin_audit FOR EACH ROW EXECUTE FUNCTION test_refuse_audit();`;

interface Case {
  action: string;
  method: string;
  path: () => string;
  body?: unknown;
  status: number;
  target: () => string;
  /** xmin of a row the action wrote (none for deletes: the row is gone, the refused run shows atomicity). */
  changedRow?: () => [sql: string, params: unknown[]];
}

describe('admin audit entries commit with their action (one transaction)', () => {
  let t: TestApp;
  let admin: HttpClient;
  let queueId = '';
  const q = async <R extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> =>
    (await t.db.pool.query<R>(sql, params)).rows;
  const refuseAudit = (refuse: boolean) => q('UPDATE test_audit_switch SET refuse = $1', [refuse]);

  /** Everything an audited action can change, and the audit log's size. */
  const snapshot = async () => ({
    domains: await q('SELECT name, catch_all FROM domains ORDER BY name'),
    dkim: await q('SELECT domain_id::text, selector, active, retired_at FROM dkim_keys ORDER BY id'),
    accounts: await q(
      'SELECT address, display_name, quota_bytes::text, role, disabled, delete_requested_at, password_hash FROM accounts ORDER BY address',
    ),
    mailboxes: await q('SELECT account_id::text, name FROM mailboxes ORDER BY id'),
    aliases: await q('SELECT address, destination FROM aliases ORDER BY address, destination'),
    queue: await q(
      `SELECT m.id::text, m.not_before, r.address, r.state, r.next_attempt_at
         FROM outbound_messages m JOIN outbound_recipients r ON r.message_id = m.id ORDER BY r.id`,
    ),
    audit: await q('SELECT count(*)::int AS n FROM admin_audit'),
  });

  const xminOfDomain = (name: string) => (): [string, unknown[]] => ['SELECT xmin::text AS xmin FROM domains WHERE name = $1', [name]];
  const xminOfAccount = (address: string) => (): [string, unknown[]] => [
    'SELECT xmin::text AS xmin FROM accounts WHERE address = $1',
    [address],
  ];
  const xminOfRecipients = (): [string, unknown[]] => [
    'SELECT xmin::text AS xmin FROM outbound_recipients WHERE message_id = $1',
    [queueId],
  ];
  const xminOfKeys = (where: string) => (): [string, unknown[]] => [
    `SELECT k.xmin::text AS xmin FROM dkim_keys k JOIN domains d ON d.id = k.domain_id WHERE d.name = 'example.org' AND ${where}`,
    [],
  ];
  const fixed = (s: string) => () => s;

  // In order: each case starts from what the previous ones left.
  const cases: Case[] = [
    {
      action: 'domain.create',
      method: 'POST',
      path: fixed('/api/v1/admin/domains'),
      body: { name: 'example.org' },
      status: 201,
      target: fixed('example.org'),
      changedRow: xminOfDomain('example.org'),
    },
    {
      action: 'domain.catch-all',
      method: 'PUT',
      path: fixed('/api/v1/admin/domains/example.org/catch-all'),
      body: { address: 'joel@ifsc.edu' },
      status: 204,
      target: fixed('example.org'),
      changedRow: xminOfDomain('example.org'),
    },
    {
      action: 'domain.dkim-rotate',
      method: 'POST',
      path: fixed('/api/v1/admin/domains/example.org/dkim/rotate'),
      status: 200,
      target: fixed('example.org'),
      changedRow: xminOfKeys('NOT k.active AND k.retired_at IS NULL'),
    },
    {
      action: 'domain.dkim-retire',
      method: 'POST',
      path: fixed('/api/v1/admin/domains/example.org/dkim/retire'),
      status: 200,
      target: fixed('example.org'),
      changedRow: xminOfKeys('k.retired_at IS NOT NULL'),
    },
    {
      action: 'domain.remove',
      method: 'DELETE',
      path: fixed('/api/v1/admin/domains/spare.example'),
      status: 204,
      target: fixed('spare.example'),
    },
    // A new domain with it: the domain, the account and its mailboxes are one transaction too.
    {
      action: 'account.create',
      method: 'POST',
      path: fixed('/api/v1/admin/accounts'),
      body: { address: 'ana@new.example', password: 'ana-password-1' },
      status: 201,
      target: fixed('ana@new.example'),
      changedRow: xminOfAccount('ana@new.example'),
    },
    {
      action: 'account.update',
      method: 'PATCH',
      path: fixed('/api/v1/admin/accounts/ana@new.example'),
      body: { displayName: 'Ana', quotaBytes: 5000 },
      status: 200,
      target: fixed('ana@new.example'),
      changedRow: xminOfAccount('ana@new.example'),
    },
    {
      action: 'account.password',
      method: 'POST',
      path: fixed('/api/v1/admin/accounts/ana@new.example/password'),
      body: { password: 'ana-password-2' },
      status: 200,
      target: fixed('ana@new.example'),
      changedRow: xminOfAccount('ana@new.example'),
    },
    {
      action: 'alias.create',
      method: 'POST',
      path: fixed('/api/v1/admin/aliases'),
      body: { address: 'team@example.org', destinations: ['joel@ifsc.edu', 'x@remote.example'] },
      status: 201,
      target: fixed('team@example.org'),
      changedRow: () => [
        "SELECT xmin::text AS xmin FROM aliases WHERE address = 'team@example.org' AND destination = 'x@remote.example'",
        [],
      ],
    },
    {
      action: 'alias.update',
      method: 'PUT',
      path: fixed('/api/v1/admin/aliases/team@example.org'),
      body: { destinations: ['ana@new.example'] },
      status: 200,
      target: fixed('team@example.org'),
      changedRow: () => ["SELECT xmin::text AS xmin FROM aliases WHERE address = 'team@example.org'", []],
    },
    {
      action: 'alias.remove',
      method: 'DELETE',
      path: fixed('/api/v1/admin/aliases/team@example.org'),
      status: 204,
      target: fixed('team@example.org'),
    },
    {
      action: 'queue.hold',
      method: 'POST',
      path: () => `/api/v1/admin/queue/${queueId}/hold`,
      status: 200,
      target: () => queueId,
      changedRow: xminOfRecipients,
    },
    {
      action: 'queue.release',
      method: 'POST',
      path: () => `/api/v1/admin/queue/${queueId}/release`,
      status: 200,
      target: () => queueId,
      changedRow: xminOfRecipients,
    },
    {
      action: 'queue.retry',
      method: 'POST',
      path: () => `/api/v1/admin/queue/${queueId}/retry`,
      status: 200,
      target: () => queueId,
      changedRow: xminOfRecipients,
    },
    { action: 'queue.delete', method: 'DELETE', path: () => `/api/v1/admin/queue/${queueId}`, status: 204, target: () => queueId },
    {
      action: 'account.remove',
      method: 'DELETE',
      path: fixed('/api/v1/admin/accounts/ana@new.example'),
      status: 202,
      target: fixed('ana@new.example'),
      changedRow: xminOfAccount('ana@new.example'),
    },
  ];

  beforeAll(async () => {
    t = await startTestApp({ CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu' });
    await t.db.pool.query(REFUSE_AUDIT_SQL);
    const joel = await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' });
    await t.directory.addDomain('spare.example');
    // No delivery role in the test app: the entry stays queued for the queue actions.
    queueId = await withTransaction(t.db.pool, (tx) =>
      t.app.get(OutboundQueueService).enqueue(tx, {
        accountId: joel.id,
        raw: Buffer.from('From: joel@ifsc.edu\r\nTo: a@far.example\r\nSubject: queued\r\n\r\nbody\r\n'),
        envelopeFrom: 'joel@ifsc.edu',
        recipients: [{ address: 'a@far.example' }, { address: 'b@far.example' }],
      }),
    );
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('covers every @Audited route of the admin API', () => {
    const reflector = new Reflector();
    const controllers = (Reflect.getMetadata('controllers', AdminModule) ?? []) as (new (...a: never[]) => unknown)[];
    const audited = controllers.flatMap((c) =>
      Object.getOwnPropertyNames(c.prototype)
        .map((name) => reflector.get<AuditSpec | undefined>(AUDIT_ACTION, (c.prototype as Record<string, () => unknown>)[name]!))
        .filter((spec): spec is AuditSpec => spec !== undefined)
        .map((spec) => spec.action),
    );
    expect(audited.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => c.action))).toEqual(new Set(audited));
  });

  for (const c of cases) {
    it(`${c.action}: refused audit → nothing changed and a 503; allowed → done with one entry in its transaction`, async () => {
      await refuseAudit(true);
      const before = await snapshot();
      const refused = await admin.request(c.method, c.path(), c.body);
      // First what matters most: the action did not happen (the old interceptor's did, unrecorded).
      expect(await snapshot()).toEqual(before);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toMatchObject({
        code: 'unavailable',
        message: `${c.action} was not carried out: the audit log could not record it; try again`,
      });

      await refuseAudit(false);
      const { last } = (await q<{ last: string }>('SELECT COALESCE(max(id), 0)::text AS last FROM admin_audit'))[0]!;
      const done = await admin.request(c.method, c.path(), c.body);
      expect(done.status, await done.clone().text()).toBe(c.status);
      const entries = await q<{ action: string; target: string; details: Record<string, unknown>; xmin: string }>(
        'SELECT action, target, details, xmin::text AS xmin FROM admin_audit WHERE id > $1 ORDER BY id',
        [last],
      );
      expect(entries.map((e) => [e.action, e.target])).toEqual([[c.action, c.target()]]);
      // Secrets stay out of the log, as before.
      if (c.body && 'password' in (c.body as object)) expect(entries[0]!.details.password).toBe('[redacted]');
      if (c.changedRow) {
        const [sql, params] = c.changedRow();
        const rows = await q<{ xmin: string }>(sql, params);
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) expect(r.xmin).toBe(entries[0]!.xmin);
      }
    });
  }

  it('a failed action writes no entry, with the audit log working', async () => {
    const { n } = (await q<{ n: number }>('SELECT count(*)::int AS n FROM admin_audit'))[0]!;
    expect((await admin.request('DELETE', '/api/v1/admin/domains/nope.example')).status).toBe(404);
    expect((await admin.request('POST', `/api/v1/admin/queue/${queueId}/hold`)).status).toBe(404);
    expect((await admin.request('POST', '/api/v1/admin/aliases', { address: 'joel@ifsc.edu', destinations: ['a@b.example'] })).status).toBe(
      409,
    );
    expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM admin_audit'))[0]!.n).toBe(n);
  });
});
