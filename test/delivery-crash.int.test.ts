import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, createTestDatabase, freePort, startApiProcess, testServerUrl } from '@correio/testing';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 4's crash test for the outbound queue: 1,000 messages queued through SMTP submission, then
// two delivery worker processes drain the queue into a receiving SMTP server run by this test while
// one of them is killed with SIGKILL every few seconds and restarted. Afterwards every message has
// reached the receiver (counted there by its X-Crash-Id header) and every queue entry says
// delivered. A message may arrive twice only when a worker died between the remote 250 and
// recording it: each copy after the first must follow a kill of the process that sent the earlier
// copy, and there can be at most (kills × transactions one worker has in flight) of them.
//
// Two worker processes on one database need a PostgreSQL server: the embedded PGlite has a single
// owner process. Without TEST_DATABASE_URL (or DATABASE_URL) the test is skipped.

const TOTAL = Number(process.env.CRASH_MESSAGES ?? 1000);
const SUBMIT_CONNECTIONS = 4;
// CORREIO_DELIVERY_LEASE, the worker's lease on the recipients it claims: short, so a killed worker's
// claims come back in seconds instead of the production default's 10 minutes.
const LEASE = '5s';
// Upper bound on SMTP transactions one worker process has between the remote 250 and its record:
// every message here goes to one domain, and a connection slot is held until the outcome is recorded
// (delivery.worker.ts), so it is CORREIO_DELIVERY_MAX_PER_DOMAIN's default, 20.
const PER_WORKER_CONCURRENCY = 20;
const DEADLINE_MS = 110_000;
// The receiver paces transactions (at MAIL FROM, before any byte of the message) so that draining
// the queue takes ~25 s however fast the workers are: long enough for several kills mid-delivery.
const RECEIVER_RATE = 40; // messages per second

const server = testServerUrl();
const title = server
  ? 'delivery crash test (two worker processes, kill -9)'
  : 'delivery crash test — skipped: two worker processes on one database need a PostgreSQL server (set TEST_DATABASE_URL); the embedded PGlite has one owner process';

if (!server) console.info(title);

interface Receipt {
  at: number;
  /** EHLO name of the sending worker process: one per incarnation (w<slot>-<generation>). */
  by: string;
}

describe.skipIf(!server)(title, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it(`delivers all ${TOTAL} queued messages while a worker is killed every few seconds; duplicates only from kills`, async () => {
    const started = Date.now();
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());

    // The remote MX: counts complete messages (a DATA cut short by a kill never ends its stream).
    const receipts = new Map<string, Receipt[]>();
    let received = 0;
    let nextSlot = 0;
    const mxPort = await freePort();
    const mx = new SMTPServer({
      authOptional: true,
      disableReverseLookup: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      maxClients: 200,
      onMailFrom(_address, _session, cb) {
        const at = Math.max(Date.now(), nextSlot);
        nextSlot = at + 1000 / RECEIVER_RATE;
        setTimeout(() => cb(), at - Date.now());
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', () => {});
        stream.on('end', () => {
          const id = /^X-Crash-Id: (\S+)\r?$/m.exec(Buffer.concat(chunks).toString('latin1'))?.[1] ?? 'unknown';
          receipts.set(id, [...(receipts.get(id) ?? []), { at: Date.now(), by: session.hostNameAppearsAs }]);
          received++;
          cb();
        });
      },
    });
    mx.on('error', () => {}); // a killed worker's connection resets: expected here
    await new Promise<void>((r) => mx.listen(mxPort, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => mx.close(() => r())));

    const dir = mkdtempSync(path.join(tmpdir(), 'correio-delivery-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const common = {
      DATABASE_URL: db.url,
      CORREIO_DATA_DIR: dir,
      CORREIO_DOMAIN: 'paulolopes.fr',
      CORREIO_ADMIN_ADDRESS: 'bruna@paulolopes.fr',
      CORREIO_ADMIN_PASSWORD: 'bruna-password',
      LOG_LEVEL: 'warn',
    };

    // 1. Fill the queue through the product's own path: SMTP submission (AUTH over STARTTLS) on a
    //    process without the delivery role, so nothing leaves before the workers start.
    const submitter = await startApiProcess({ ...common, CORREIO_ROLES: 'smtp' });
    cleanups.push(async () => void (await submitter.stop()));
    const transport = nodemailer.createTransport({
      pool: true,
      maxConnections: SUBMIT_CONNECTIONS,
      maxMessages: Number.POSITIVE_INFINITY,
      host: '127.0.0.1',
      port: submitter.submissionPort,
      requireTLS: true,
      auth: { user: 'bruna@paulolopes.fr', pass: 'bruna-password' },
      tls: { rejectUnauthorized: false },
    });
    const fillStarted = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: SUBMIT_CONNECTIONS * 4 }, async () => {
        for (let n = next++; n < TOTAL; n = next++) {
          const info = await transport.sendMail({
            envelope: { from: 'bruna@paulolopes.fr', to: [`joel${n % 10}@ifsc.edu`] },
            raw: `From: bruna@paulolopes.fr\r\nTo: joel${n % 10}@ifsc.edu\r\nSubject: crash ${n}\r\nX-Crash-Id: m${n}\r\n\r\n${'Minha linha é discada. '.repeat(40)}\r\n`,
          });
          expect(info.response).toMatch(/^250 /);
        }
      }),
    );
    transport.close();
    const fillMs = Date.now() - fillStarted;
    await submitter.stop();

    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    cleanups.push(() => pool.end());
    const states = async () =>
      Object.fromEntries(
        (
          await pool.query<{ state: string; n: number }>('SELECT state, count(*)::int AS n FROM outbound_recipients GROUP BY state')
        ).rows.map((r) => [r.state, r.n]),
      ) as Record<string, number>;
    expect(await states()).toEqual({ queued: TOTAL });

    // 2. Two delivery workers; each incarnation says its own EHLO name, so the receiver knows which
    //    process sent each copy.
    const generation = [0, 0];
    const workerEnv = (slot: number) => ({
      ...common,
      CORREIO_ROLES: 'delivery',
      CORREIO_HOSTNAME: `w${slot}-${generation[slot]}.paulolopes.fr`,
      CORREIO_TRANSPORT_MAP: `ifsc.edu=127.0.0.1:${mxPort}`,
      CORREIO_DELIVERY_LEASE: LEASE,
      CORREIO_DELIVERY_RETRY_SCHEDULE: '1s',
    });
    const workers: ApiProcess[] = await Promise.all([0, 1].map((slot) => startApiProcess(workerEnv(slot))));
    cleanups.push(async () => {
      for (const w of workers) await w.kill();
    });

    // 3. The killer: SIGKILL one worker (alternately) every 1.5–3 s or after every tenth of the
    //    messages, whichever comes first, and start it again at once.
    const kills: { at: number; name: string }[] = [];
    const restartMs: number[] = [];
    let done = false;
    const killer = (async () => {
      const every = Math.max(20, Math.floor(TOTAL / 10));
      while (!done) {
        const from = received;
        const until = Date.now() + 1_500 + Math.random() * 1_500;
        while (!done && Date.now() < until && received - from < every) await new Promise((r) => setTimeout(r, 20));
        if (done) break;
        const slot = kills.length % 2;
        kills.push({ at: Date.now(), name: `w${slot}-${generation[slot]}.paulolopes.fr` });
        await workers[slot]!.kill();
        generation[slot]!++;
        const t = Date.now();
        workers[slot] = await startApiProcess(workerEnv(slot));
        restartMs.push(Date.now() - t);
      }
    })();

    // 4. Until the receiver has every message and the queue says so, or the deadline.
    let last: Record<string, number> = {};
    for (;;) {
      last = await states();
      const complete = [...receipts.keys()].filter((k) => k !== 'unknown').length === TOTAL && last.delivered === TOTAL;
      if (complete || Date.now() - started > DEADLINE_MS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    done = true;
    await killer;

    const missing = Array.from({ length: TOTAL }, (_, n) => `m${n}`).filter((id) => !receipts.has(id));
    const duplicates = [...receipts].filter(([, r]) => r.length > 1);
    const extraCopies = duplicates.reduce((sum, [, r]) => sum + r.length - 1, 0);
    console.log(
      `delivery crash test: ${TOTAL} messages queued in ${fillMs} ms; ${kills.length} kills (restarts ${Math.min(...restartMs)}–${Math.max(...restartMs)} ms); ` +
        `${received} copies received, ${missing.length} missing, ${duplicates.length} duplicated (${extraCopies} extra copies); queue ${JSON.stringify(last)}; ${Date.now() - started} ms in all`,
    );

    expect(missing, `not received (a killed worker's claims come back only when its lease ends; lease ${LEASE})`).toEqual([]);
    expect(receipts.has('unknown')).toBe(false);
    expect(last).toEqual({ delivered: TOTAL });
    expect(kills.length).toBeGreaterThanOrEqual(3);
    // Duplicates only where a worker died after the remote 250: every copy but the last was sent by
    // an incarnation that was killed, and the next copy came after that kill.
    for (const [id, copies] of duplicates) {
      for (let i = 0; i < copies.length - 1; i++) {
        const kill = kills.find((k) => k.name === copies[i]!.by);
        expect(kill, `${id}: copy ${i + 1} of ${copies.length} sent by ${copies[i]!.by}, which was never killed`).toBeDefined();
        expect(kill!.at, `${id}: copy ${i + 2} arrived before ${copies[i]!.by} was killed`).toBeLessThanOrEqual(copies[i + 1]!.at);
      }
    }
    expect(extraCopies).toBeLessThanOrEqual(kills.length * PER_WORKER_CONCURRENCY);
  }, 180_000);
});
