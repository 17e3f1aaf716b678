import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SmtpTranscript, code, createTestDatabase, startApiProcess, testServerUrl } from '@correio/testing';
import { afterAll, describe, expect, it } from 'vitest';

// CORREIO_WORKERS: several processes share the listeners (node:cluster). Only with a PostgreSQL
// server: the embedded database has one owner and always runs one process.

const children = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function deliverOne(port: number, subject: string): Promise<number> {
  const s = await SmtpTranscript.connect(port);
  await s.read();
  await s.command('EHLO cluster.test');
  await s.command('MAIL FROM:<bruna@paulolopes.fr>');
  await s.command('RCPT TO:<joel@ifsc.edu>');
  await s.command('DATA');
  s.write(`Subject: ${subject}\r\n\r\nhello\r\n`);
  const reply = code(await s.command('.'));
  s.close();
  return reply;
}

describe.skipIf(!testServerUrl())('worker processes (CORREIO_WORKERS=2)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('serves from two processes, stops them all on SIGTERM, and leaves no orphan after kill -9', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const dir = mkdtempSync(path.join(tmpdir(), 'correio-cluster-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env = { DATABASE_URL: db.url, CORREIO_DATA_DIR: dir, CORREIO_WORKERS: '2', CORREIO_DOMAIN: 'ifsc.edu', CORREIO_ADMIN_ADDRESS: 'joel@ifsc.edu', CORREIO_ADMIN_PASSWORD: 'joel-password' };

    const api = await startApiProcess(env);
    cleanups.push(async () => void (await api.kill()));
    expect(api.output()).toContain('2 worker processes');
    const workers = children(api.child.pid!);
    expect(workers).toHaveLength(2);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => deliverOne(api.smtpPort, `m${i}`)));
    expect(replies.every((r) => r === 250)).toBe(true);
    const health = await fetch(`http://127.0.0.1:${api.httpPort}/api/health`);
    expect(health.status).toBe(200);
    expect(await api.stop()).toBe(0);
    expect(workers.filter(alive)).toEqual([]);

    // SIGKILL of the primary: its workers notice the closed channel and stop by themselves.
    const again = await startApiProcess(env);
    cleanups.push(async () => void (await again.kill()));
    const second = children(again.child.pid!);
    expect(second).toHaveLength(2);
    await again.kill();
    const deadline = Date.now() + 20_000;
    while (second.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(second.filter(alive)).toEqual([]);
  });
});
