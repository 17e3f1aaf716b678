import type { MessageDeliveryStatus, MessageDetail, SendMessageResult } from '@correio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../testing/http-client.js';
import { type TestApp, startTestApp } from '../testing/test-app.js';

// Sending for programs over real HTTP against a real database: multipart/form-data with files,
// Idempotency-Key (a retried send answers the first answer and sends nothing twice; five concurrent
// retries send one message), and per-recipient status by queue id.

const MAX = 256 * 1024;

describe('sending for programs', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let bruna: HttpClient;
  let joel: HttpClient;

  beforeAll(async () => {
    t = await startTestApp({
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_HOSTNAME: 'mail.paulolopes.fr',
      CORREIO_MAX_MESSAGE_BYTES: String(MAX),
    });
    for (const a of ['bruna', 'joel'])
      ids[a] = (await t.directory.addAccount({ address: `${a}@paulolopes.fr`, password: `${a}-password` })).id;
    bruna = new HttpClient(t.baseUrl);
    joel = new HttpClient(t.baseUrl);
    expect((await bruna.login('bruna@paulolopes.fr', 'bruna-password')).status).toBe(200);
    expect((await joel.login('joel@paulolopes.fr', 'joel-password')).status).toBe(200);
  });
  afterAll(() => t?.close());

  const cookieOf = (http: HttpClient) => (http as unknown as { cookie: string }).cookie;

  function post(http: HttpClient, body: unknown, key?: string, extra: Record<string, string> = {}) {
    return http.request('POST', '/api/v1/messages/send', body, { ...(key ? { 'idempotency-key': key } : {}), ...extra });
  }

  function postForm(http: HttpClient, form: FormData, key?: string) {
    return fetch(`${t.baseUrl}/api/v1/messages/send`, {
      method: 'POST',
      headers: { cookie: cookieOf(http), 'x-csrf-token': http.csrfToken, ...(key ? { 'idempotency-key': key } : {}) },
      body: form,
    });
  }

  /** Messages in an account's INBOX with this subject. */
  async function inboxCount(account: string, subject: string): Promise<number> {
    const { rows } = await t.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id
        WHERE m.account_id = $1 AND b.special_use = 'inbox' AND m.subject = $2`,
      [ids[account], subject],
    );
    return Number(rows[0]!.n);
  }

  async function queuedCount(subject: string): Promise<number> {
    const { rows } = await t.db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM outbound_messages o JOIN blobs b ON b.account_id = o.account_id AND b.id = o.blob_id
        WHERE position($1 in convert_from(b.data, 'UTF8')) > 0`,
      [`Subject: ${subject}`],
    );
    return Number(rows[0]!.n);
  }

  describe('multipart/form-data', () => {
    it('sends the `message` JSON with the files attached, byte-exact', async () => {
      const pdf = Buffer.from('%PDF-1.4\n\u0000\u0001\u00ff binary', 'latin1');
      const csv = Buffer.from('a,b\n1,2\n');
      const form = new FormData();
      form.append('message', JSON.stringify({ to: ['joel@paulolopes.fr', 'ana@gmail.example'], subject: 'Invoice 42', text: 'Attached.' }));
      form.append('attachments', new Blob([pdf], { type: 'application/pdf' }), 'invoice-42.pdf');
      form.append('attachments', new Blob([csv], { type: 'text/csv' }), 'lines.csv');
      const res = await postForm(bruna, form);
      expect(res.status).toBe(201);
      const sent = (await res.json()) as SendMessageResult;
      expect(sent).toMatchObject({ delivered: 1, queued: 1 });
      const detail = await bruna.json<MessageDetail>('GET', `/api/v1/messages/${sent.sentId}`);
      expect(detail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        ['invoice-42.pdf', 'application/pdf'],
        ['lines.csv', 'text/csv'],
      ]);
      const att = await bruna.request('GET', `/api/v1/messages/${sent.sentId}/attachments/0`);
      expect(Buffer.from(await att.arrayBuffer()).equals(pdf)).toBe(true);
      expect(await inboxCount('joel', 'Invoice 42')).toBe(1);
    });

    it('413 when the files pass CORREIO_MAX_MESSAGE_BYTES (nothing sent); 400 without a `message` field or with bad JSON', async () => {
      const form = new FormData();
      form.append('message', JSON.stringify({ to: ['joel@paulolopes.fr'], subject: 'Too big' }));
      form.append('attachments', new Blob([Buffer.alloc(MAX / 2, 1)]), 'a.bin');
      form.append('attachments', new Blob([Buffer.alloc(MAX / 2 + 10, 2)]), 'b.bin');
      const res = await postForm(bruna, form);
      expect(res.status).toBe(413);
      expect(await inboxCount('joel', 'Too big')).toBe(0);

      const noMessage = new FormData();
      noMessage.append('attachments', new Blob([Buffer.from('x')]), 'x.txt');
      expect((await postForm(bruna, noMessage)).status).toBe(400);
      const badJson = new FormData();
      badJson.append('message', '{not json');
      expect((await postForm(bruna, badJson)).status).toBe(400);
      const invalid = new FormData();
      invalid.append('message', JSON.stringify({ to: [], subject: 'nobody' }));
      expect((await postForm(bruna, invalid)).status).toBe(400);
    });
  });

  describe('Idempotency-Key', () => {
    it('five concurrent retries with one key send ONE message; each gets the first answer or 409 while it runs', async () => {
      const body = { to: ['joel@paulolopes.fr', 'ana@gmail.example'], subject: 'Exactly once', text: 'One copy, please.' };
      const answers = await Promise.all(Array.from({ length: 5 }, () => post(bruna, body, 'order-1001')));
      const statuses = answers.map((r) => r.status);
      expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
      const bodies = await Promise.all(answers.filter((r) => r.status === 201).map((r) => r.json() as Promise<SendMessageResult>));
      expect(new Set(bodies.map((b) => b.sentId)).size).toBe(1);
      for (const r of answers.filter((a) => a.status === 409)) expect(((await r.json()) as { code: string }).code).toBe('conflict');
      expect(await inboxCount('joel', 'Exactly once')).toBe(1);
      expect(await queuedCount('Exactly once')).toBe(1);

      // Later retries: the same answer, replayed, still one message.
      const again = await post(bruna, body, 'order-1001');
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(((await again.json()) as SendMessageResult).sentId).toBe(bodies[0]!.sentId);
      expect(await inboxCount('joel', 'Exactly once')).toBe(1);
    });

    it('the same key with another request is 400; keys are per account; a kept 4xx replays; without a key nothing is kept', async () => {
      const body = { to: ['joel@paulolopes.fr'], subject: 'Keyed', text: 'x' };
      expect((await post(bruna, body, 'k-2')).status).toBe(201);
      const other = await post(bruna, { ...body, text: 'changed' }, 'k-2');
      expect(other.status).toBe(400);
      expect(((await other.json()) as { message: string }).message).toMatch(/different request/);
      // Joel may use the same key for his own send.
      expect((await post(joel, { to: ['bruna@paulolopes.fr'], subject: 'Keyed too', text: 'y' }, 'k-2')).status).toBe(201);
      // A refusal (403: a From she may not use) is kept and replayed as it was.
      const bad = { ...body, from: 'joel@paulolopes.fr' };
      const first = await post(bruna, bad, 'k-3');
      expect(first.status).toBe(403);
      const replay = await post(bruna, bad, 'k-3');
      expect(replay.status).toBe(403);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.json()).toEqual(await first.json());
      // Without a key two sends are two messages.
      await post(bruna, { ...body, subject: 'Unkeyed' });
      await post(bruna, { ...body, subject: 'Unkeyed' });
      expect(await inboxCount('joel', 'Unkeyed')).toBe(2);
      // A malformed key is refused.
      expect((await post(bruna, body, 'with space')).status).toBe(400);
    });

    it('a claim left running by a process that died is taken over after its lease; a live one answers 409', async () => {
      const { fingerprintOf } = await import('../idempotency/idempotency.service.js');
      const body = { to: ['joel@paulolopes.fr'], subject: 'After a crash', text: 'z' };
      const claim = (key: string, lease: string) =>
        t.db.pool.query(
          `INSERT INTO idempotency_keys (account_id, key, fingerprint, state, locked_until) VALUES ($1, $2, $3, 'running', now() + $4::interval)`,
          [ids.bruna, key, fingerprintOf('POST /api/v1/messages/send', body), lease],
        );
      await claim('crashed', '-1 second');
      await claim('live', '1 minute');
      expect((await post(bruna, body, 'live')).status).toBe(409);
      expect(await inboxCount('joel', 'After a crash')).toBe(0);
      const taken = await post(bruna, body, 'crashed');
      expect(taken.status).toBe(201);
      expect(await inboxCount('joel', 'After a crash')).toBe(1);
      expect((await post(bruna, body, 'crashed')).headers.get('idempotent-replayed')).toBe('true');
    });

    it('multipart retries with the same files are one send; expired keys (older than 24 h) are pruned', async () => {
      const form = () => {
        const f = new FormData();
        f.append('message', JSON.stringify({ to: ['joel@paulolopes.fr'], subject: 'Multipart once' }));
        f.append('attachments', new Blob([Buffer.from('same bytes')]), 'a.txt');
        return f;
      };
      const [a, b] = [await postForm(bruna, form(), 'mp-1'), await postForm(bruna, form(), 'mp-1')];
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.headers.get('idempotent-replayed')).toBe('true');
      expect(await inboxCount('joel', 'Multipart once')).toBe(1);

      await t.db.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'mp-1'`);
      const { IdempotencyService } = await import('../idempotency/idempotency.service.js');
      expect(await t.app.get(IdempotencyService).prune()).toBe(1);
      const { rows } = await t.db.pool.query(`SELECT 1 FROM idempotency_keys WHERE key = 'mp-1'`);
      expect(rows).toEqual([]);
    });
  });

  describe('GET /api/v1/messages/send/:queueId', () => {
    it('gives each recipient’s state, attempts and last reply; 404 for another account’s entry or a bad id', async () => {
      const sent = await bruna.json<SendMessageResult>('POST', '/api/v1/messages/send', {
        to: ['joel@paulolopes.fr', 'ana@gmail.example', 'rui@gmail.example'],
        subject: 'Status please',
        text: 'x',
      });
      expect(sent.queueId).not.toBeNull();
      const status = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/send/${sent.queueId}`);
      expect(status.queueId).toBe(sent.queueId);
      expect(status.recipients.map((r) => [r.address, r.state, r.attempts, r.lastReply]).sort()).toEqual([
        ['ana@gmail.example', 'queued', 0, null],
        ['joel@paulolopes.fr', 'delivered', 0, null],
        ['rui@gmail.example', 'queued', 0, null],
      ]);
      // A deferral recorded by the worker shows with its reply and attempts.
      await t.db.pool.query(
        `UPDATE outbound_recipients SET state = 'deferred', attempts = 2, last_reply = '451 4.7.1 try later' WHERE message_id = $1 AND address = 'ana@gmail.example'`,
        [sent.queueId],
      );
      await t.db.pool.query(
        `UPDATE outbound_recipients SET state = 'bounced', attempts = 1, last_reply = '550 5.1.1 no such user' WHERE message_id = $1 AND address = 'rui@gmail.example'`,
        [sent.queueId],
      );
      const later = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/send/${sent.queueId}`);
      const by = new Map(later.recipients.map((r) => [r.address, r]));
      expect(by.get('ana@gmail.example')).toMatchObject({ state: 'deferred', attempts: 2, lastReply: '451 4.7.1 try later' });
      expect(by.get('rui@gmail.example')).toMatchObject({ state: 'bounced', attempts: 1, lastReply: '550 5.1.1 no such user' });
      expect(by.get('rui@gmail.example')!.explanation).toEqual(expect.any(String));

      // Still answered after the Sent copy is deleted (the queue keeps its records).
      const trashed = await bruna.json<{ id: string }>('DELETE', `/api/v1/messages/${sent.sentId}`);
      await bruna.json('DELETE', `/api/v1/messages/${trashed.id}`);
      const afterDelete = await bruna.json<MessageDeliveryStatus>('GET', `/api/v1/messages/send/${sent.queueId}`);
      expect(afterDelete.recipients.map((r) => r.address).sort()).toEqual(['ana@gmail.example', 'rui@gmail.example']);

      expect((await joel.request('GET', `/api/v1/messages/send/${sent.queueId}`)).status).toBe(404);
      expect((await bruna.request('GET', '/api/v1/messages/send/99999999')).status).toBe(404);
      expect((await bruna.request('GET', '/api/v1/messages/send/abc')).status).toBe(404);
    });
  });
});
