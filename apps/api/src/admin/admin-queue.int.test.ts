import type { QueueAttemptList, QueueEntryDetail, QueueEntryList } from '@correio/contracts';
import { freePort } from '@correio/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../delivery/delivery.worker.js';
import { type EnqueueRequest, OutboundQueueService } from '../delivery/outbound-queue.service.js';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// The admin queue API over real HTTP. No delivery role: the test drives the worker by hand
// (runOnce) against a remote MX that always answers 451, so entries stay in the queue.

describe('admin queue API', () => {
  let t: TestApp;
  let remote: SMTPServer;
  let admin: HttpClient;
  let joel: string;
  const ids: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    remote = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      logger: false,
      onRcptTo(_address, _session, cb) {
        cb(Object.assign(new Error('4.7.1 greylisted, try again later'), { responseCode: 451 }));
      },
    });
    await new Promise<void>((r) => remote.listen(port, '127.0.0.1', r));
    t = await startTestApp({
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'root@ifsc.edu',
      CORREIO_TRANSPORT_MAP: `grey.example=127.0.0.1:${port},other.example=127.0.0.1:${port}`,
    });
    joel = (await t.directory.addAccount({ address: 'joel@ifsc.edu', password: 'joel-password' })).id;
    admin = new HttpClient(t.baseUrl);
    expect((await admin.login('root@ifsc.edu', 'admin-password')).status).toBe(200);
    const enqueue = async (req: Partial<EnqueueRequest> & { recipients: EnqueueRequest['recipients'] }) => {
      const client = await t.db.pool.connect();
      try {
        return await t.app.get(OutboundQueueService).enqueue(client, {
          accountId: joel,
          raw: Buffer.from(
            'From: Joel <joel@ifsc.edu>\r\nTo: a@grey.example\r\nSubject: Queue me\r\nMessage-ID: <q1@ifsc.edu>\r\n\r\nbody\r\n',
          ),
          envelopeFrom: 'joel@ifsc.edu',
          ...req,
        });
      } finally {
        client.release();
      }
    };
    ids.push(await enqueue({ recipients: [{ address: 'a@grey.example' }, { address: 'b@other.example' }] }));
    ids.push(await enqueue({ recipients: [{ address: 'c@grey.example', notify: ['FAILURE', 'DELAY'] }], held: true }));
    ids.push(await enqueue({ recipients: [{ address: 'd@other.example' }], envelopeFrom: '' }));
    // One attempt for the entries that are due: every recipient deferred with the remote's 451.
    await t.app.get(DeliveryWorker).runOnce();
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((r) => remote.close(() => r()));
  });

  it('lists entries newest first, with filters and pages', async () => {
    const all = await admin.json<QueueEntryList>('GET', '/api/v1/admin/queue');
    expect(all.items.map((e) => e.id)).toEqual([...ids].reverse());
    expect(all.items[2]).toMatchObject({ sender: 'joel@ifsc.edu', recipients: 2, states: { deferred: 2, queued: 0 } });
    expect(all.nextCursor).toBeNull();

    const held = await admin.json<QueueEntryList>('GET', '/api/v1/admin/queue?state=held');
    expect(held.items.map((e) => e.id)).toEqual([ids[1]]);
    const grey = await admin.json<QueueEntryList>('GET', '/api/v1/admin/queue?domain=grey.example');
    expect(grey.items.map((e) => e.id)).toEqual([ids[1], ids[0]]);
    const bounces = await admin.json<QueueEntryList>('GET', `/api/v1/admin/queue?sender=${encodeURIComponent('<>')}`);
    expect(bounces.items.map((e) => e.id)).toEqual([ids[2]]);
    const joels = await admin.json<QueueEntryList>('GET', '/api/v1/admin/queue?sender=JOEL@ifsc.edu');
    expect(joels.items).toHaveLength(2);

    const page1 = await admin.json<QueueEntryList>('GET', '/api/v1/admin/queue?limit=2');
    expect(page1.items).toHaveLength(2);
    const page2 = await admin.json<QueueEntryList>('GET', `/api/v1/admin/queue?limit=2&cursor=${page1.nextCursor}`);
    expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
  });

  it('refuses bad filters with 400 and a clear message', async () => {
    for (const q of ['state=lost', 'limit=0', 'limit=abc', 'cursor=-1', 'domain=a@b', 'colour=red']) {
      const res = await admin.request('GET', `/api/v1/admin/queue?${q}`);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { code: string; details: { path: string; message: string }[] };
      expect(body.code).toBe('invalid_input');
      expect(body.details[0]!.message.length).toBeGreaterThan(0);
    }
  });

  it('shows one entry: recipients, attempts, next attempt, last reply, header summary; and each attempt', async () => {
    const e = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[0]}`);
    expect(e.headers).toMatchObject({ from: 'joel@ifsc.edu', to: ['a@grey.example'], subject: 'Queue me', messageId: '<q1@ifsc.edu>' });
    expect(e.recipientList).toHaveLength(2);
    const a = e.recipientList.find((r) => r.address === 'a@grey.example')!;
    expect(a).toMatchObject({ state: 'deferred', attempts: 1, inProgress: false, domain: 'grey.example' });
    expect(a.lastReply).toMatch(/^451 .*greylisted/);
    expect(Date.parse(a.nextAttemptAt!)).toBeGreaterThan(Date.now());

    const h = await admin.json<QueueAttemptList>('GET', `/api/v1/admin/queue/${ids[0]}/recipients/${a.id}/attempts`);
    expect(h.items).toHaveLength(1);
    expect(h.items[0]).toMatchObject({ result: 'deferred', remoteHost: '127.0.0.1' });
    expect(h.items[0]!.reply).toMatch(/^451 /);

    const c = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[1]}`);
    expect(c.recipientList[0]).toMatchObject({ state: 'held', attempts: 0, notify: 'FAILURE,DELAY', nextAttemptAt: null });
  });

  it('retries now, holds and releases', async () => {
    const retry = await admin.json<{ changed: number }>('POST', `/api/v1/admin/queue/${ids[0]}/retry`);
    expect(retry.changed).toBe(2);
    let e = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[0]}`);
    for (const r of e.recipientList) expect(Date.parse(r.nextAttemptAt!)).toBeLessThanOrEqual(Date.now() + 1000);

    expect((await admin.json<{ changed: number }>('POST', `/api/v1/admin/queue/${ids[0]}/hold`)).changed).toBe(2);
    e = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[0]}`);
    expect(e.states).toMatchObject({ held: 2, deferred: 0 });
    await t.app.get(DeliveryWorker).runOnce(); // held: not claimed
    e = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[0]}`);
    expect(e.recipientList.map((r) => r.attempts)).toEqual([1, 1]);

    expect((await admin.json<{ changed: number }>('POST', `/api/v1/admin/queue/${ids[0]}/release`)).changed).toBe(2);
    e = await admin.json<QueueEntryDetail>('GET', `/api/v1/admin/queue/${ids[0]}`);
    // Tried before, so back as deferred (not queued), due now.
    expect(e.states).toMatchObject({ held: 0, deferred: 2 });
  });

  it('deletes an entry, and answers 404 for unknown or malformed ids', async () => {
    const res = await admin.request('DELETE', `/api/v1/admin/queue/${ids[2]}`);
    expect(res.status).toBe(204);
    for (const [method, path] of [
      ['GET', `/api/v1/admin/queue/${ids[2]}`],
      ['DELETE', `/api/v1/admin/queue/${ids[2]}`],
      ['POST', '/api/v1/admin/queue/987654/retry'],
      ['POST', '/api/v1/admin/queue/987654/hold'],
      ['POST', '/api/v1/admin/queue/987654/release'],
      ['GET', '/api/v1/admin/queue/abc'],
      ['GET', '/api/v1/admin/queue/99999999999999999999'],
      ['GET', `/api/v1/admin/queue/${ids[0]}/recipients/987654/attempts`],
    ] as const) {
      expect((await admin.request(method, path)).status, `${method} ${path}`).toBe(404);
    }
  });

  it('refuses a user without the admin role (403) and a visitor without a session (401)', async () => {
    const user = new HttpClient(t.baseUrl);
    await user.login('joel@ifsc.edu', 'joel-password');
    expect((await user.request('GET', '/api/v1/admin/queue')).status).toBe(403);
    expect((await user.request('GET', `/api/v1/admin/queue/${ids[0]}`)).status).toBe(403);
    expect((await user.request('POST', `/api/v1/admin/queue/${ids[0]}/retry`)).status).toBe(403);
    expect((await user.request('DELETE', `/api/v1/admin/queue/${ids[0]}`)).status).toBe(403);
    expect((await new HttpClient(t.baseUrl).request('GET', '/api/v1/admin/queue')).status).toBe(401);
  });

  it('documents the routes in OpenAPI', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/admin/queue',
        '/api/v1/admin/queue/{id}',
        '/api/v1/admin/queue/{id}/recipients/{recipientId}/attempts',
        '/api/v1/admin/queue/{id}/retry',
        '/api/v1/admin/queue/{id}/hold',
        '/api/v1/admin/queue/{id}/release',
      ]),
    );
  });
});
