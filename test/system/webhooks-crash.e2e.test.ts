import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, WebhookReceiver, createTestDatabase, freePort, sendSmtpOnce, startApiProcess, testServerUrl } from '@correio/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { restSession } from './support/rest-session';

// Issue 13's webhook crash test: 1,000 messages delivered over SMTP (10 raw-socket clients) while
// the API process (roles http, smtp, delivery) is killed with kill -9 every few seconds and
// restarted. The outbox row is written by the delivery statement itself, and the webhook worker
// claims with SKIP LOCKED and a lease, so afterwards the receiver must have a message.received for
// EVERY message in the messages table (none missing, none invented), each verified with the
// standardwebhooks library, duplicates only under the same webhook-id.

const TOTAL = Number(process.env.WEBHOOK_CRASH_MESSAGES ?? 1000);
const CLIENTS = 10;

const crashMessage = (n: number) =>
  `From: bruna@paulolopes.fr\r\nTo: joel@ifsc.edu\r\nSubject: crash ${n}\r\nMessage-ID: <crash-${n}@paulolopes.fr>\r\n\r\nmessage ${n}\r\n`;

describe.skipIf(!testServerUrl())('webhook crash test (PostgreSQL server)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it(`a message.received for every stored message across repeated kill -9 (${TOTAL} messages)`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'correio-webhook-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const receiver = await WebhookReceiver.start();
    cleanups.push(() => receiver.close());
    const env = {
      DATABASE_URL: db.url,
      CORREIO_DATA_DIR: dir,
      CORREIO_API_PORT: String(await freePort()),
      CORREIO_SMTP_PORT: String(await freePort()),
      CORREIO_SUBMISSION_PORT: String(await freePort()),
      CORREIO_SUBMISSIONS_PORT: String(await freePort()),
      CORREIO_ROLES: 'http,smtp,delivery',
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
      CORREIO_WEBHOOKS_ALLOW_PRIVATE: 'true',
      // A killed worker's claims come back after its lease (2 × timeout + 10 s).
      CORREIO_WEBHOOKS_TIMEOUT: '2s',
      CORREIO_WEBHOOKS_RETRY_BASE: '200ms',
      LOG_LEVEL: 'warn',
    };
    const portVars = ['CORREIO_API_PORT', 'CORREIO_SMTP_PORT', 'CORREIO_SUBMISSION_PORT', 'CORREIO_SUBMISSIONS_PORT'] as const;
    // The ports are fixed across restarts so the clients find the new process. While the process
    // is down, the clients' own retries take ephemeral ports from the same range, and one may land
    // on ours (then in TIME_WAIT for a minute): the restart then moves to fresh ports, which the
    // clients pick up from `env` on their next try.
    const start = async (): Promise<ApiProcess> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await startApiProcess(env);
        } catch (err) {
          if (attempt >= 5 || !String(err).includes('EADDRINUSE')) throw err;
          for (const k of portVars) env[k] = String(await freePort());
        }
      }
    };
    let api: ApiProcess = await start();
    cleanups.push(async () => void (await api.kill()));
    const origin = `http://127.0.0.1:${env.CORREIO_API_PORT}`;
    const joel = await restSession(origin, { address: 'joel@ifsc.edu', password: 'joel-password' } as never);
    const hook = await joel.send<{ id: string; secret: string }>('POST', '/webhooks', { url: receiver.url, events: ['message.received'] });
    receiver.verifyWith(hook.secret);

    let clientsDone = false;
    let kills = 0;
    let acked = 0;
    const killer = (async () => {
      while (!clientsDone) {
        const until = Date.now() + 2_000 + Math.random() * 2_000;
        const from = acked;
        while (!clientsDone && Date.now() < until && acked - from < TOTAL / 6) await new Promise((r) => setTimeout(r, 20));
        if (clientsDone) break;
        await api.kill();
        kills++;
        api = await start();
      }
    })();

    let next = 0;
    const client = async () => {
      for (let n = next++; n < TOTAL; n = next++) {
        const deadline = Date.now() + 120_000;
        for (;;) {
          const r = await sendSmtpOnce(Number(env.CORREIO_SMTP_PORT), crashMessage(n));
          if (r === 250) {
            acked++;
            break;
          }
          // Lost after "." (RFC 1047): maybe stored, maybe not. Sent again below, as an MTA would; a
          // copy stored twice is two messages, each of which must get its own event.
          // Refused, a 4xx, or lost: try again shortly.
          if (Date.now() > deadline) throw new Error(`message ${n}: no 250 (last ${r})`);
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    clientsDone = true;
    await killer;

    // The ground truth: every message row of joel's.
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    cleanups.push(() => c.end());
    const { rows } = await c.query<{ id: string }>(
      "SELECT m.id::text FROM messages m JOIN accounts a ON a.id = m.account_id WHERE a.address = 'joel@ifsc.edu' AND m.subject LIKE 'crash %'",
    );
    const stored = new Set(rows.map((r) => r.id));
    const received = () => {
      const byMessage = new Map<string, Set<string>>();
      for (const r of receiver.received) {
        // Verified with the standardwebhooks library when it arrived (it refuses timestamps over 5 min old).
        if (r.verifyError) throw new Error(`webhook not verified: ${r.verifyError}`);
        const event = r.verified as { type: string; data: { messageId: string; subject: string } };
        if (event.type !== 'message.received' || !event.data.subject.startsWith('crash ')) continue;
        byMessage.set(event.data.messageId, (byMessage.get(event.data.messageId) ?? new Set()).add(r.headers['webhook-id']!));
      }
      return byMessage;
    };
    const started = Date.now();
    await receiver.waitFor(() => [...stored].every((id) => received().has(id)), 120_000).catch(() => {});
    const byMessage = received();
    const missing = [...stored].filter((id) => !byMessage.has(id));
    const invented = [...byMessage.keys()].filter((id) => !stored.has(id));
    const duplicates = receiver.received.length - byMessage.size;
    console.log(
      `webhook crash test: ${kills} kills, ${acked} acknowledged, ${stored.size} stored, ${receiver.received.length} webhook requests ` +
        `(${duplicates} repeats), all in ${Math.round((Date.now() - started) / 1000)} s after the last message`,
    );
    expect(kills).toBeGreaterThan(2);
    expect(stored.size).toBeGreaterThanOrEqual(acked);
    expect(missing).toEqual([]);
    expect(invented).toEqual([]);
    // A repeat (sent, then the process died before recording the 2xx) carries the same webhook-id.
    for (const [id, ids] of byMessage) expect(ids.size, `message ${id}`).toBe(1);
    // And one webhook-id never names two messages.
    const idToMessage = new Map<string, string>();
    for (const [message, ids] of byMessage) {
      for (const id of ids) {
        expect(idToMessage.get(id) ?? message).toBe(message);
        idToMessage.set(id, message);
      }
    }
  }, 900_000);
});
