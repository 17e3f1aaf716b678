import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, createTestDatabase, freePort, originalBytes, sendSmtpOnce, startApiProcess, testServerUrl } from '@correio/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

// Issue 3's crash test: 2,000 messages from 20 concurrent SMTP clients while the service is killed
// with SIGKILL every few seconds and restarted. Afterwards every message that got a 250 is stored
// exactly once with its exact bytes. A message whose connection died after the final "." (the
// classic RFC 1047 window) is not retried and may be stored at most once.

const TOTAL = Number(process.env.CRASH_MESSAGES ?? 2000);
const CLIENTS = 20;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

type Outcome = 'acked' | 'ambiguous';

const modes = [{ name: 'embedded PostgreSQL (PGlite)', server: false }, ...(testServerUrl() ? [{ name: 'PostgreSQL server', server: true }] : [])];

describe.each(modes)('SMTP crash test on $name', ({ server }) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it(`stores every acknowledged message exactly once across repeated kill -9 (${TOTAL} messages, ${CLIENTS} clients)`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'correio-crash-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const db = server ? await createTestDatabase() : undefined;
    if (db) cleanups.push(() => db.drop());
    const env = {
      DATABASE_URL: db?.url,
      CORREIO_DATA_DIR: dir,
      CORREIO_API_PORT: String(await freePort()),
      CORREIO_SMTP_PORT: String(await freePort()),
      CORREIO_SUBMISSION_PORT: String(await freePort()),
      CORREIO_SUBMISSIONS_PORT: String(await freePort()),
      CORREIO_ROLES: 'smtp',
      CORREIO_DOMAIN: 'ifsc.edu',
      CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu',
      CORREIO_ADMIN_PASSWORD: 'joel-password',
      LOG_LEVEL: 'warn',
    };
    let api: ApiProcess = await startApiProcess(env);
    const smtpPort = Number(env.CORREIO_SMTP_PORT);

    // The killer: SIGKILL every 2–4 s or after every eighth of the messages, whichever comes
    // first (a fast server must not finish the load between two kills), restart at once; stops
    // when the clients are done.
    let clientsDone = false;
    let kills = 0;
    let ackedCount = 0;
    const restartMs: number[] = [];
    const killEvery = Math.max(25, Math.floor(TOTAL / 8));
    const killer = (async () => {
      while (!clientsDone) {
        const from = ackedCount;
        const until = Date.now() + 2_000 + Math.random() * 2_000;
        while (!clientsDone && Date.now() < until && ackedCount - from < killEvery) await new Promise((r) => setTimeout(r, 20));
        if (clientsDone) break;
        await api.kill();
        kills++;
        const started = Date.now();
        api = await startApiProcess(env);
        restartMs.push(Date.now() - started);
      }
    })();
    cleanups.push(async () => void (await api.kill()));

    const outcomes = new Map<string, { outcome: Outcome; hash: string }>();
    let next = 0;
    const client = async () => {
      for (let n = next++; n < TOTAL; n = next++) {
        const id = `crash-${n}`;
        const message = `X-Crash-Id: ${id}\r\nSubject: ${id}\r\n\r\n${randomBytes(3000).toString('base64').replace(/(.{76})/g, '$1\r\n')}\r\n`;
        const deadline = Date.now() + 120_000;
        for (let attempt = 0; ; attempt++) {
          const r = await sendSmtpOnce(smtpPort, message);
          if (r === 250) {
            ackedCount++;
            outcomes.set(id, { outcome: 'acked', hash: sha256(message) });
            break;
          }
          if (r === 'lost') {
            outcomes.set(id, { outcome: 'ambiguous', hash: sha256(message) });
            break;
          }
          // Refused, or a 4xx before/at DATA: nothing was stored; try again shortly.
          if (Date.now() > deadline) throw new Error(`${id}: no 250 after ${attempt} attempts (last ${r}); restarts took ${restartMs.join(', ')} ms`);
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    clientsDone = true;
    await killer;

    // Read back everything through SQL (the embedded database through the running process's socket).
    const url = db?.url ?? `postgresql://postgres@127.0.0.1:${JSON.parse(readFileSync(path.join(dir, 'embedded-pg.json'), 'utf8')).port}/postgres`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query<{ data: Buffer }>(
      "SELECT b.data FROM messages m JOIN blobs b ON b.account_id = m.account_id AND b.id = m.blob_id JOIN accounts a ON a.id = m.account_id WHERE a.address = 'joel@ifsc.edu'",
    );
    await c.end();
    const stored = new Map<string, string[]>();
    for (const r of rows) {
      const original = originalBytes(r.data);
      const id = /^X-Crash-Id: (\S+)\r\n/.exec(original.toString('latin1'))?.[1] ?? 'unknown';
      stored.set(id, [...(stored.get(id) ?? []), sha256(original)]);
    }
    const acked = [...outcomes].filter(([, o]) => o.outcome === 'acked');
    const ambiguous = [...outcomes].filter(([, o]) => o.outcome === 'ambiguous');
    console.log(
      `crash test: ${kills} kills (restarts ${Math.min(...restartMs)}–${Math.max(...restartMs)} ms), ${acked.length} acknowledged, ${ambiguous.length} lost after ".", ${rows.length} stored`,
    );
    expect(kills).toBeGreaterThan(2);
    expect(outcomes.size).toBe(TOTAL);
    for (const [id, o] of acked) expect(stored.get(id), `acknowledged ${id}`).toEqual([o.hash]);
    for (const [id, o] of ambiguous) expect((stored.get(id) ?? []).every((h) => h === o.hash) && (stored.get(id)?.length ?? 0) <= 1, id).toBe(true);
    expect(stored.has('unknown')).toBe(false);
  }, 900_000);
});
