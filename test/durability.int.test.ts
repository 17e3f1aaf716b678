import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiProcess, SmtpTranscript, code, createTestDatabase, freePort, originalBytes, startApiProcess, testServerUrl } from '@correio/testing';
import { afterAll, describe, expect, it } from 'vitest';

// DESIGN invariant 1, acknowledged means durable: `kill -9` right after the 250, restart, and every
// acknowledged message is there with its exact bytes. Runs on the embedded PostgreSQL always (the
// default a user gets), and on the real server when one is configured.

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function sendOne(port: number, tag: string, body: string): Promise<number> {
  const s = await SmtpTranscript.connect(port);
  try {
    await s.read();
    await s.command('EHLO durability.test');
    await s.command('MAIL FROM:<bruna@paulolopes.fr>');
    await s.command('RCPT TO:<joel@ifsc.edu>');
    await s.command('DATA');
    s.write(`X-Test-Tag: ${tag}\r\nSubject: durability ${tag}\r\n\r\n${body}`);
    return code(await s.command('.'));
  } finally {
    s.close();
  }
}

async function rawMessagesOf(api: ApiProcess): Promise<Map<string, string>> {
  const base = `http://127.0.0.1:${api.httpPort}`;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: 'joel@ifsc.edu', password: 'joel-password' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const boxes = (await (await fetch(`${base}/api/v1/mailboxes`, { headers: { cookie } })).json()) as { items: { id: string; specialUse: string }[] };
  const inbox = boxes.items.find((b) => b.specialUse === 'inbox')!;
  const list = (await (await fetch(`${base}/api/v1/mailboxes/${inbox.id}/messages?limit=200`, { headers: { cookie } })).json()) as {
    items: { id: string; subject: string }[];
  };
  const out = new Map<string, string>();
  for (const m of list.items) {
    const raw = Buffer.from(await (await fetch(`${base}/api/v1/messages/${m.id}/raw`, { headers: { cookie } })).arrayBuffer());
    // Our trace headers sit on top of the exact bytes that were sent.
    out.set(m.subject.replace('durability ', ''), sha256(originalBytes(raw)));
  }
  return out;
}

const modes: { name: string; env: () => Promise<{ env: Record<string, string | undefined>; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'embedded PostgreSQL (PGlite)',
    env: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'correio-durability-'));
      return { env: { DATABASE_URL: undefined, CORREIO_DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
];
if (testServerUrl()) {
  modes.push({
    name: 'PostgreSQL server',
    env: async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, cleanup: () => db.drop() };
    },
  });
}

describe.each(modes)('kill -9 after 250 on $name', (mode) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('keeps every acknowledged message byte-exact across kill -9 and restart', async () => {
    const { env, cleanup } = await mode.env();
    cleanups.push(cleanup);
    const ports = { CORREIO_API_PORT: String(await freePort()), CORREIO_SMTP_PORT: String(await freePort()) };
    const base = { ...env, ...ports, CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu', CORREIO_ADMIN_PASSWORD: 'joel-password' };
    const sent = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      const api = await startApiProcess(base);
      cleanups.push(async () => void (await api.kill()));
      // Several messages, then SIGKILL the instant the last 250 arrives.
      for (let i = 0; i < 4; i++) {
        const tag = `r${round}-m${i}`;
        const body = `${randomBytes(24_000).toString('base64').replace(/(.{76})/g, '$1\r\n')}\r\nend ${tag}\r\n`;
        const reply = await sendOne(api.smtpPort, tag, body);
        if (i === 3) await api.kill();
        expect(reply).toBe(250);
        sent.set(tag, sha256(`X-Test-Tag: ${tag}\r\nSubject: durability ${tag}\r\n\r\n${body}`));
      }
      expect(api.child.signalCode).toBe('SIGKILL');
    }
    const api = await startApiProcess(base);
    cleanups.push(async () => void (await api.stop()));
    const stored = await rawMessagesOf(api);
    expect(stored.size).toBe(sent.size);
    for (const [tag, hash] of sent) expect(stored.get(tag), `message ${tag}`).toBe(hash);
  });
});
